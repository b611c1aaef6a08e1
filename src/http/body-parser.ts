import type { FastifyInstance } from "fastify";
import { InvalidEncodingError, InvalidJsonError } from "../platform/errors.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * JSON bodies are decoded strictly: invalid UTF-8 is refused rather than silently replaced,
 * so what is encrypted is exactly what the client sent.
 */
export function strictJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_req, body: Buffer, done) => {
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      return done(InvalidEncodingError(), undefined);
    }
    if (text.trim() === "") return done(InvalidJsonError(), undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(InvalidJsonError(), undefined);
    }
  });
}
