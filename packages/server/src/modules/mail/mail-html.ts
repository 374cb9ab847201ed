import type * as MailParser from "mailparser";
import type SanitizeHtml from "sanitize-html";

/*
 * The MIME parser and the HTML sanitiser are loaded on the first mail import, not at start-up:
 * with their character tables they are ~35 MB of every server's memory (measured), and most
 * servers import mail rarely or never.
 */
let parser: Promise<typeof MailParser> | undefined;
let sanitizer: Promise<typeof SanitizeHtml> | undefined;

export const mailParser = (): Promise<typeof MailParser> => {
  parser ??= import("mailparser");
  return parser;
};

const htmlSanitizer = (): Promise<typeof SanitizeHtml> => {
  sanitizer ??= import("sanitize-html").then((m) => m.default);
  return sanitizer;
};

/**
 * What survives of an e-mail's HTML: formatting and links, nothing that runs or calls home.
 * Scripts, styles, event handlers and `javascript:` links go; images load only from the mail
 * itself (`cid:` parts, `data:`) unless remote images are asked for.
 */
export async function sanitizeMailHtml(html: string, remoteImages = false): Promise<string> {
  const sanitizeHtml = await htmlSanitizer();
  return sanitizeHtml(html, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, "img", "span", "font", "center"],
    allowedAttributes: {
      a: ["href", "title"],
      img: ["src", "alt", "title", "width", "height"],
      td: ["colspan", "rowspan", "align"],
      th: ["colspan", "rowspan", "align"],
      "*": ["dir", "lang"],
    },
    allowedSchemes: ["http", "https", "mailto", "tel"],
    allowedSchemesByTag: { img: remoteImages ? ["cid", "data", "http", "https"] : ["cid", "data"] },
    allowProtocolRelative: false,
    transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer nofollow", target: "_blank" }) },
  });
}
