/**
 * The access package's HTML is a document the client reads (issue #15): actions, outcomes, purposes,
 * practice areas and statuses in words, times in the firm's time zone, in Chinese and in English;
 * no code as the API spells it and no UTC instant. The JSON beside it keeps the codes for machines.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readClient } from "../src/records/clients/client-reader.js";
import { buildAccessPackage, renderPackageHtml } from "../src/rights/requests/access-package.js";
import type { Services } from "../src/platform/services.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";
import { buildClient, buildMatter, buildUser, contextFor } from "./support/factories.js";

const RAW_CODE = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b[a-z]+(?:\.[a-z_]+)+\b/g;
const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
/** The text a person reads: tags, the style sheet and the request number (an opaque reference) left out. */
const readable = (html: string, requestId: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/, "")
    .replace(/<[^>]+>/g, " ")
    .replaceAll(requestId, "")
    .replace(/\S+@\S+/g, " ");

describe.each(DIALECTS)("access package in words (%s)", (dialect) => {
  let db: TestDatabase;
  let services: Services;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    services = await db.open();
  });
  afterAll(async () => {
    await services?.close();
    await db?.cleanup();
  });

  it("names every action, outcome and purpose, and shows times in the firm's zone, in both languages", async () => {
    const partner = await buildUser(services, "partner");
    const lawyer = await buildUser(services, "lawyer");
    const client = await buildClient(services, partner.actor, { name: "周明" });
    await buildMatter(services, partner.actor, client.id, [{ userId: lawyer.actor.userId, role: "member" }], { practiceArea: "labour" });
    await readClient(services, contextFor(lawyer.actor), client.id);
    await readClient(services, contextFor(partner.actor), client.id);

    for (const language of ["zh-CN", "en"] as const) {
      const pkg = await services.engine.db
        .transaction()
        .execute((tx) => buildAccessPackage(services, tx, "access", client.id, "req-words", language, new Date("2026-12-07T02:30:00Z")));
      // The machine-readable package keeps the codes the verifier and other tools read.
      expect(pkg.accessHistory.map((a) => a.action)).toContain("client.read");
      const text = readable(renderPackageHtml(pkg), "req-words");
      expect(text.match(RAW_CODE) ?? [], language).toEqual([]);
      expect(ISO_INSTANT.test(text), language).toBe(false);
      // 02:30 UTC is 10:30 in Shanghai.
      expect(text).toContain("10:30");
      expect(text).toContain(language === "en" ? "Labour" : "劳动");
      expect(text).toContain(language === "en" ? "Case handling" : "案件办理");
    }
  });
});
