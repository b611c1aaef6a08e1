/**
 * A unique-constraint failure from either driver (two requests creating the same thing at once)
 * is a 409 with a stable code, never an unexplained 500. The error is the driver's own, produced
 * by a real duplicate insert, so a change in how a driver reports it fails here.
 */
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { handleError } from "../src/http/errors.js";
import { DIALECTS } from "./support/dialects.js";
import { httpSuite } from "./support/http.js";

for (const dialect of DIALECTS) {
  describe(`${dialect}: unique-constraint failures`, () => {
    const suite = httpSuite(dialect);

    it("answer 409 duplicate_record in the caller's language", async () => {
      const db = suite.services.engine.db;
      const existing = await db.selectFrom("purposes").selectAll().limit(1).executeTakeFirstOrThrow();
      const driverError = await db
        .insertInto("purposes")
        .values(existing)
        .execute()
        .then(
          () => null,
          (e: unknown) => e as Error,
        );
      expect(driverError).toBeInstanceOf(Error);
      const app = Fastify();
      app.setErrorHandler(handleError);
      app.get("/boom", async () => {
        throw driverError;
      });
      const en = await app.inject({ method: "GET", url: "/boom" });
      expect(en.statusCode, en.body).toBe(409);
      expect(en.json().error).toEqual({ code: "duplicate_record", message: "The same record was created at the same moment; reload and retry." });
      const zh = await app.inject({ method: "GET", url: "/boom", headers: { "accept-language": "zh-CN" } });
      expect(zh.json().error.message).toMatch(/重复创建/);
    });
  });
}
