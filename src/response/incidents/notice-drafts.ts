/**
 * Notice drafts (INC-4, PIPL Art. 57): to the regulator, and to each affected client, in zh-CN or
 * English. Every sentence comes from src/platform/i18n/incident-notices.ts; this code only chooses entries
 * by code. The per-client draft decrypts that client's name and nothing else; the name goes into
 * the returned text only — the audit event carries the client id, and no log line sees the text.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { CLIENT_FIELDS, type PersonalField } from "../../records/clients/fields.js";
import { GoneError, NotFoundError } from "../../platform/errors.js";
import { INCIDENT_NOTICES, type IncidentCause, type RemedialMeasure } from "../../platform/i18n/incident-notices.js";
import type { Locale } from "../../platform/i18n/messages.js";
import type { DbIncident } from "../../platform/db/schema.js";
import type { Services } from "../../platform/services.js";
import { formatInZone } from "./deadlines.js";

export interface NoticeDraft {
  audience: "regulator" | "client";
  language: Locale;
  title: string;
  body: string;
}

type HarmCategory = keyof (typeof INCIDENT_NOTICES)["en"]["harms"];
const HARM_CATEGORIES: readonly HarmCategory[] = ["identity", "government_id", "contact", "case_notes"];

const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? "");

/** Data categories of the affected fields, in registry order, for harm and advice. */
function categoriesOf(fields: readonly string[]): HarmCategory[] {
  const cats = CLIENT_FIELDS.filter((f) => fields.includes(f.key)).map((f) => f.category as string);
  return HARM_CATEGORIES.filter((c) => cats.includes(c));
}

export async function draftNotice(
  services: Services,
  ctx: RequestContext,
  incidentId: string,
  request: { audience: "regulator" | "client"; language: Locale; clientId?: string | undefined },
): Promise<NoticeDraft> {
  return runAudited(services, ctx, async (w) => {
    const event = {
      action: "incident.notice.draft",
      targetType: request.audience === "client" ? "client" : "incident",
      targetId: request.audience === "client" ? (request.clientId ?? null) : incidentId,
    };
    const decision = authorize(ctx.actor, "incident.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const incident = await w.tx.selectFrom("incidents").selectAll().where("id", "=", incidentId).executeTakeFirst();
    if (!incident) return w.refuse(NotFoundError("Incident"), event, "failure");
    const affected = await w.tx.selectFrom("incident_affected_clients").select(["client_id", "fields"]).where("incident_id", "=", incidentId).execute();
    let fields: string[];
    let name = "";
    if (request.audience === "client") {
      const mine = affected.find((a) => a.client_id === request.clientId);
      if (!mine) return w.refuse(NotFoundError("Affected client"), event, "failure");
      fields = JSON.parse(mine.fields) as string[];
      const key = await services.keyRing.openDataKey(w.tx, mine.client_id);
      const row = await w.tx.selectFrom("clients").select(["id", "name_ct"]).where("id", "=", mine.client_id).executeTakeFirst();
      if (!key || !row?.name_ct) return w.refuse(GoneError(), event, "failure");
      name = services.vault.open(key, { table: "clients", recordId: row.id, field: "name" }, row.name_ct);
    } else {
      fields = [...new Set(affected.flatMap((a) => JSON.parse(a.fields) as string[]))];
    }
    const text = composeNotice(incident, { audience: request.audience, language: request.language, fields, affectedCount: affected.length, name });
    // Ids, audience and language only: the drafted text (and any name in it) is not recorded.
    w.record({ ...event, outcome: "success", details: { incidentId, audience: request.audience, language: request.language } });
    return { audience: request.audience, language: request.language, ...text };
  });
}

/**
 * The notice text for one audience: the PIPL Art. 57 elements (categories, cause, possible harm,
 * measures taken, what the person can do, the firm's contact) from the incident's codes and the
 * affected fields. Pure; the caller decrypts the client's name and keeps the text out of logs.
 */
export function composeNotice(
  incident: Pick<DbIncident, "id" | "aware_at" | "eu_subjects" | "people_affected" | "cause" | "measures" | "contact">,
  options: { audience: "regulator" | "client"; language: Locale; fields: readonly string[]; affectedCount: number; name: string },
): { title: string; body: string } {
  const { language, fields } = options;
  const t = INCIDENT_NOTICES[language];
  const labels = CLIENT_FIELDS.filter((f) => fields.includes(f.key as PersonalField)).map((f) => (language === "zh-CN" ? f.labelZh : f.labelEn));
  const harms = categoriesOf(fields);
  const measures = JSON.parse(incident.measures) as RemedialMeasure[];
  const zone = language === "zh-CN" || incident.eu_subjects === 0 ? "Asia/Shanghai" : "Europe/Berlin";
  const values = {
    incident: incident.id.slice(0, 8).toUpperCase(),
    awareAt: formatInZone(incident.aware_at, zone),
    categories: labels.join(t.listSeparator),
    people: String(Math.max(incident.people_affected, options.affectedCount)),
    cause: t.causes[incident.cause as IncidentCause] ?? t.causes.under_investigation,
    harms: harms.map((h) => t.harms[h]).join(t.listSeparator),
    measures: measures.map((m) => t.measures[m]).join(t.listSeparator),
    actions: harms.map((h) => t.actions[h]).join(t.listSeparator),
    contact: incident.contact,
    name: options.name,
  };
  const template = options.audience === "client" ? t.client : t.regulator;
  return { title: fill(template.title, values), body: template.body.map((line) => fill(line, values)).join("\n") };
}
