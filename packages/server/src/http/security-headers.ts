import type { FastifyInstance } from "fastify";

/** One year, as browsers' preload lists expect; subdomains are the firm's business, not ours. */
const HSTS_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;
const HSTS = `max-age=${HSTS_MAX_AGE_SECONDS}`;

/**
 * The Content-Security-Policy: scripts only from this origin, no inline scripts, no eval, no
 * plugins, no framing, forms and fetches to this origin only. `style-src`
 * allows 'unsafe-inline': Mantine sets CSS variables in `style` attributes on nearly every
 * element and writes a `<style>` element at start-up, and so does the Swagger UI at /api/docs.
 * Nonces cannot cover style attributes, and inline styles cannot run code. Images may be
 * data:/blob: URLs (icons of Mantine and the Swagger UI, attachment previews).
 */
function contentSecurityPolicy(https: boolean): string {
  const directives = [
    "default-src 'self'",
    // No 'unsafe-eval': the web UI's form validators are compiled at build time (Ajv
    // standalone code, packages/web/build/validators.ts), not in the browser.
    "script-src 'self'",
    "script-src-attr 'none'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (https) directives.push("upgrade-insecure-requests");
  return directives.join(";");
}

/**
 * The security headers of every response, computed once: the CSP above, no framing
 * (`frame-ancestors 'none'` and X-Frame-Options DENY), X-Content-Type-Options nosniff,
 * Referrer-Policy no-referrer (customer ids in URLs stay home), cross-origin isolation of
 * windows and resources (integrations call the API from servers; a browser on another origin
 * has no business embedding it), and the legacy headers helmet sends. HSTS only over HTTPS:
 * always when `publicUrl` is https, else when the request itself came over TLS (directly or
 * through a trusted proxy).
 *
 * Written by hand rather than with @fastify/helmet, which rebuilt the CSP text and set each
 * header one by one on every request: ~6 % of the file endpoint's time at 100,000 customers.
 */
export function securityHeaders(https: boolean): Readonly<Record<string, string>> {
  return Object.freeze({
    "content-security-policy": contentSecurityPolicy(https),
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "origin-agent-cluster": "?1",
    "referrer-policy": "no-referrer",
    ...(https ? { "strict-transport-security": HSTS } : {}),
    "x-content-type-options": "nosniff",
    "x-dns-prefetch-control": "off",
    "x-download-options": "noopen",
    "x-frame-options": "DENY",
    "x-permitted-cross-domain-policies": "none",
    "x-xss-protection": "0",
  });
}

/** Sends `securityHeaders` (and HSTS over TLS) with every response of the app. */
export function registerSecurityHeaders(app: FastifyInstance, publicUrl: string | null): void {
  const https = publicUrl?.startsWith("https://") === true;
  const headers = securityHeaders(https);
  // A callback hook, not an async one: no promise per request on the hot path.
  app.addHook("onRequest", (req, reply, done) => {
    reply.headers(headers);
    if (!https && req.protocol === "https") reply.header("strict-transport-security", HSTS);
    done();
  });
}
