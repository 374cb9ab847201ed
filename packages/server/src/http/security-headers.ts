import helmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";

/** One year, as browsers' preload lists expect; subdomains are the firm's business, not ours. */
const HSTS_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;
const HSTS = `max-age=${HSTS_MAX_AGE_SECONDS}`;

/**
 * Security headers on every response (through @fastify/helmet):
 *
 * - CSP: scripts only from this origin, no inline scripts, no eval, no plugins, no framing
 *   (`frame-ancestors 'none'` and X-Frame-Options DENY), forms and fetches to this origin only.
 *   `style-src` allows 'unsafe-inline': Mantine sets CSS variables in `style` attributes on
 *   nearly every element and writes a `<style>` element at start-up, and so does the Swagger UI at
 *   /api/docs. Nonces cannot cover style attributes, and inline styles cannot run code.
 *   Images may be data:/blob: URLs (icons of Mantine and the Swagger UI, attachment previews).
 * - X-Content-Type-Options nosniff, Referrer-Policy no-referrer (customer ids in URLs stay home).
 * - HSTS only over HTTPS: always when `publicUrl` is https (then also `upgrade-insecure-requests`),
 *   else when the request itself came over TLS (directly or through a trusted proxy).
 */
export async function registerSecurityHeaders(app: FastifyInstance, publicUrl: string | null): Promise<void> {
  const https = publicUrl?.startsWith("https://") === true;
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // No 'unsafe-eval': the web UI's form validators are compiled at build time (Ajv
        // standalone code, packages/web/build/validators.ts), not in the browser.
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:", "blob:"],
        fontSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
    strictTransportSecurity: https ? { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: false } : false,
    // Integrations call the API from servers; a browser on another origin has no business embedding it.
    crossOriginResourcePolicy: { policy: "same-origin" },
  });
  if (!publicUrl) {
    app.addHook("onRequest", async (req, reply) => {
      if (req.protocol === "https") reply.header("strict-transport-security", HSTS);
    });
  }
}
