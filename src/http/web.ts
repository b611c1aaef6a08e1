/**
 * The staff console (/) and the client portal (/portal/), built by Vite into dist/web and served
 * by Custodia itself. Pages get a strict Content-Security-Policy with a fresh nonce for antd's
 * runtime style tags; scripts come only from this origin, nothing inline.
 */
import { randomSecretBytes } from "../platform/crypto/secrets.js";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";

/** Where `npm run build:web` writes; CUSTODIA_WEB_ROOT points elsewhere (parallel builds in development). */
export const WEB_ROOT = process.env.CUSTODIA_WEB_ROOT
  ? `${process.env.CUSTODIA_WEB_ROOT.replace(/\/$/, "")}/`
  : fileURLToPath(new URL("../../dist/web/", import.meta.url));

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const PAGES = { console: "index.html", portal: "portal/index.html" } as const;

export async function webRoutes(app: FastifyInstance, root: string = WEB_ROOT): Promise<void> {
  const built = existsSync(`${root}${PAGES.console}`);
  // Read once: the pages are small and only the nonce changes per response.
  const templates = built ? { console: readFileSync(`${root}${PAGES.console}`, "utf8"), portal: readFileSync(`${root}${PAGES.portal}`, "utf8") } : null;

  const page = (reply: FastifyReply, which: keyof typeof PAGES) => {
    if (!templates) {
      return reply.code(503).type("text/plain; charset=utf-8").send("The web console is not built: run `npm run build:web`.");
    }
    const nonce = randomSecretBytes(16).toString("base64");
    return reply
      .header("content-security-policy", contentSecurityPolicy(nonce))
      .header("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()")
      .header("cache-control", "no-store")
      .type("text/html; charset=utf-8")
      .send(templates[which].replaceAll("__CSP_NONCE__", nonce));
  };

  app.get("/", { schema: { hide: true } }, (_request, reply) => page(reply, "console"));
  app.get("/portal", { schema: { hide: true } }, (_request, reply) => reply.redirect("/portal/"));
  app.get("/portal/", { schema: { hide: true } }, (_request, reply) => page(reply, "portal"));
  if (built) {
    // Hashed file names: cache for a year.
    await app.register(fastifyStatic, {
      root: `${root}assets`,
      prefix: "/assets/",
      immutable: true,
      maxAge: "365d",
      index: false,
      wildcard: true,
      preCompressed: true,
    });
  }
}
