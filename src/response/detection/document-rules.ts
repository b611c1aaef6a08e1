/**
 * Detection rules on client documents (issue #11, AUD-2): bulk downloads, large or many external
 * shares, downloads and shares off hours, and one share link used from many addresses. Judged like
 * the client-record rules in detector.ts: thresholds counted in SQL over the window at the batch's
 * last event, one alert per user and window.
 */
import type { DbAuditEvent } from "../../platform/db/schema.js";
import { distinctShareAddresses, findShare } from "../../records/documents/share-store.js";
import { byActor, countOf, detailsOf, distinctTargetBursts, type Evaluate, type Hit, minus, oncePerActor, recentSeqs } from "./detector.js";
import type { RuleParams } from "./rules.js";
import { isWithinStaffCalendar } from "./staff-calendar.js";
import { isWithinWorkingHours } from "./working-hours.js";

const MIB = 1024 * 1024;

export interface DocumentEvaluators {
  bulk_download: Evaluate<"bulk_download">;
  large_external_share: Evaluate<"large_external_share">;
  off_hours_download: Evaluate<"off_hours_download">;
  share_many_addresses: Evaluate<"share_many_addresses">;
}

/**
 * A function declaration, not a constant: detector.ts spreads these into its table while the two
 * modules import each other, and a declaration is callable before either module has run.
 */
export function documentEvaluators(): DocumentEvaluators {
  return {
    // Distinct documents, as bulk_read counts distinct clients: one file fetched again is no bulk.
    async bulk_download(tx, rule, rows, lookups) {
      const p: RuleParams<"bulk_download"> = rule.params;
      return distinctTargetBursts(tx, rule, rows, lookups, { actions: p.actions, windowMinutes: p.windowMinutes, max: p.maxDownloads }, (n) => ({
        distinctDocuments: n,
        threshold: p.maxDownloads,
        windowMinutes: p.windowMinutes,
      }));
    },

    // A share event carries the shared version's size; a large one alerts each time, many shares once per window.
    async large_external_share(tx, rule, rows, lookups) {
      const p: RuleParams<"large_external_share"> = rule.params;
      const hits: Hit[] = [];
      for (const [userId, mine] of byActor(rows, (r) => p.actions.includes(r.action) && r.outcome === "success")) {
        const at = mine.at(-1)!.at;
        const large = mine.filter((r) => Number(detailsOf(r).sizeBytes ?? 0) > p.maxSizeMiB * MIB);
        if (large.length) {
          const largest = Math.max(...large.map((r) => Number(detailsOf(r).sizeBytes)));
          hits.push({
            rule,
            userId,
            at,
            evidence: recentSeqs(large),
            facts: { reason: "size", largestMiB: Math.round((largest / MIB) * 10) / 10, thresholdMiB: p.maxSizeMiB },
          });
          continue;
        }
        const from = minus(at, p.windowMinutes);
        if (lookups.remembered(rule.code, userId, from)) continue;
        const inWindow = tx
          .selectFrom("audit_events")
          .where("actor_id", "=", userId!)
          .where("at", ">=", from)
          .where("at", "<=", at)
          .where("action", "in", p.actions)
          .where("outcome", "=", "success");
        if ((await countOf(inWindow.select((eb) => eb.fn.countAll().as("n")))) <= p.maxShares) continue;
        if (await lookups.alerted(rule.code, userId, from)) continue;
        const events = await inWindow.select("seq").execute();
        hits.push({
          rule,
          userId,
          at,
          evidence: recentSeqs(events),
          facts: { reason: "count", shares: events.length, threshold: p.maxShares, windowMinutes: p.windowMinutes },
        });
      }
      return hits;
    },

    // The off_hours rule's judgement (the user's own calendar, else the rule's hours) on document hand-outs.
    async off_hours_download(_tx, rule, rows, lookups) {
      const p: RuleParams<"off_hours_download"> = rule.params;
      if (!rows.some((r) => p.actions.includes(r.action))) return [];
      const calendars = await lookups.calendars();
      const outside = (r: DbAuditEvent) => {
        const own = r.actor_id === null ? undefined : calendars.get(r.actor_id);
        return own ? !isWithinStaffCalendar(r.at, own) : !isWithinWorkingHours(r.at, p);
      };
      return oncePerActor(
        rule,
        byActor(rows, (r) => p.actions.includes(r.action) && r.outcome === "success" && outside(r)),
        p.dedupMinutes,
        lookups,
        (userId, mine) => {
          const own = calendars.get(userId!);
          return { events: mine.length, timeZone: own?.timeZone ?? p.timeZone, calendar: own ? "staff" : "firm" };
        },
      );
    },

    // Recipients act without an account: the share names the staff member the alert is about.
    async share_many_addresses(tx, rule, rows, lookups) {
      const p: RuleParams<"share_many_addresses"> = rule.params;
      const byShare = new Map<string, DbAuditEvent[]>();
      for (const r of rows) {
        if (!p.actions.includes(r.action) || r.target_type !== "document_share" || r.target_id === null) continue;
        byShare.set(r.target_id, [...(byShare.get(r.target_id) ?? []), r]);
      }
      const hits: Hit[] = [];
      for (const [shareId, mine] of byShare) {
        const at = mine.at(-1)!.at;
        const from = minus(at, p.windowMinutes);
        const share = await findShare(tx, shareId);
        if (!share || lookups.remembered(rule.code, share.created_by, from)) continue;
        const addresses = await distinctShareAddresses(tx, shareId, from, at);
        if (addresses <= p.maxAddresses) continue;
        if (await lookups.alerted(rule.code, share.created_by, from)) continue;
        const events = await tx
          .selectFrom("audit_events")
          .select("seq")
          .where("target_id", "=", shareId)
          .where("at", ">=", from)
          .where("at", "<=", at)
          .where("action", "in", p.actions)
          .execute();
        hits.push({
          rule,
          userId: share.created_by,
          at,
          evidence: recentSeqs(events),
          facts: { shareId, addresses, threshold: p.maxAddresses, windowMinutes: p.windowMinutes },
        });
      }
      return hits;
    },
  };
}
