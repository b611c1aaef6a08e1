import type { Kysely, Migration } from "kysely";
import type { BinaryType } from "./index.js";

/**
 * 0021: forwarding client documents outside the firm (issue #11). A share is a time-limited link
 * for one recipient, opened with a one-time code sent to them; only keyed MACs of the link and the
 * code are stored, and the recipient's name, organisation and email are sealed with the client's
 * data key. Each use of a link is recorded with a MAC of the address, never the address itself.
 *
 * Detection gains four rules (AUD-2), seeded like those of 0006 and 0018: bulk downloads, large or
 * many external shares, downloads off hours, and a share link opened from many addresses.
 */
export const name = "0021_document_shares";

const RULES: { code: string; severity: string; containment: string; params: Record<string, unknown> }[] = [
  // More distinct documents downloaded in minutes than anyone reads: as bulk_read, the account is contained.
  {
    code: "bulk_download",
    severity: "high",
    containment: "suspend_sessions_and_tokens",
    params: { actions: ["document.download"], maxDownloads: 20, windowMinutes: 10 },
  },
  {
    code: "large_external_share",
    severity: "medium",
    containment: "none",
    params: { actions: ["document.share"], maxSizeMiB: 100, maxShares: 10, windowMinutes: 1440 },
  },
  {
    code: "off_hours_download",
    severity: "medium",
    containment: "none",
    params: {
      actions: ["document.download", "document.share"],
      timeZone: "Asia/Shanghai",
      weekdays: [1, 2, 3, 4, 5],
      start: "08:00",
      end: "20:00",
      dedupMinutes: 60,
    },
  },
  // The alert names the share's creator; the link is revoked by people, not by the rule.
  {
    code: "share_many_addresses",
    severity: "high",
    containment: "none",
    params: { actions: ["document.share_open", "document.share_download"], maxAddresses: 3, windowMinutes: 1440 },
  },
];

export const migration = (bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("document_shares")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("document_id", "text", (c) => c.notNull().references("documents.id"))
      .addColumn("version", "integer", (c) => c.notNull())
      .addColumn("client_id", "text", (c) => c.notNull().references("clients.id"))
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("recipient_kind", "text", (c) => c.notNull())
      .addColumn("recipient_name_ct", bin, (c) => c.notNull())
      .addColumn("recipient_org_ct", bin)
      .addColumn("recipient_email_ct", bin, (c) => c.notNull())
      .addColumn("recipient_email_mac", "text", (c) => c.notNull())
      .addColumn("purpose", "text", (c) => c.notNull())
      .addColumn("grant_id", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .addColumn("max_downloads", "integer", (c) => c.notNull())
      .addColumn("downloads", "integer", (c) => c.notNull())
      .addColumn("link_mac", "text", (c) => c.notNull().unique())
      .addColumn("code_mac", "text")
      .addColumn("code_sent_at", "text")
      .addColumn("code_expires_at", "text")
      .addColumn("code_attempts", "integer", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("confirmed_by", "text")
      .addColumn("confirmed_at", "text")
      .addColumn("revoked_by", "text")
      .addColumn("revoked_at", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("document_shares_document").on("document_shares").columns(["document_id", "created_at"]).execute();
    await db.schema.createIndex("document_shares_created").on("document_shares").column("created_at").execute();
    await db.schema.createIndex("document_shares_recipient").on("document_shares").column("recipient_email_mac").execute();

    await db.schema
      .createTable("document_share_accesses")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("share_id", "text", (c) => c.notNull().references("document_shares.id"))
      .addColumn("at", "text", (c) => c.notNull())
      .addColumn("outcome", "text", (c) => c.notNull())
      .addColumn("address_mac", "text", (c) => c.notNull())
      .execute();
    // The many-addresses rule counts one share's distinct addresses in a window.
    await db.schema.createIndex("document_share_accesses_share").on("document_share_accesses").columns(["share_id", "at"]).execute();

    const now = new Date().toISOString();
    for (const rule of RULES) {
      await db
        .insertInto("detection_rules")
        .values({ ...rule, enabled: 1, params: JSON.stringify(rule.params), updated_at: now, updated_by: null })
        .execute();
    }
  },
});
