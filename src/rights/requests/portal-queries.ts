/** What a verified requester reads through the portal with their request token. */
import { GoneError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { buildAccessPackage, renderPackageHtml, type AccessPackage, type PackageLanguage } from "./access-package.js";
import { runPortalAudited } from "./portal-audited.js";
import { requestForToken } from "./portal-intake.js";
import { presentPortalRequest, type PortalRequestView } from "./present.js";
import { PACKAGE_TYPES, PackageNotReadyError, type RequestSettings } from "./request.js";

export async function portalStatus(
  services: Services,
  settings: RequestSettings,
  httpRequestId: string,
  requestId: string,
  token: string | null,
): Promise<PortalRequestView> {
  return runPortalAudited(services, httpRequestId, async (w) => {
    const row = await requestForToken(services, settings, w, requestId, token, "request.status");
    if (!("id" in row)) return row;
    w.record({ action: "request.status", targetType: "client_request", targetId: requestId, outcome: "success" });
    return presentPortalRequest(row);
  });
}

export async function downloadPackage(
  services: Services,
  settings: RequestSettings,
  httpRequestId: string,
  requestId: string,
  token: string | null,
  format: "json" | "html",
  language: PackageLanguage | undefined,
): Promise<{ json: AccessPackage } | { html: string }> {
  return runPortalAudited(services, httpRequestId, async (w) => {
    const event = { action: "request.package", targetType: "client_request", targetId: requestId };
    const row = await requestForToken(services, settings, w, requestId, token, event.action);
    if (!("id" in row)) return row;
    if (!PACKAGE_TYPES.has(row.type) || row.status !== "fulfilled" || !row.client_id) return w.refuse(PackageNotReadyError(), event, "failure");
    const client = await w.tx.selectFrom("clients").select("status").where("id", "=", row.client_id).executeTakeFirstOrThrow();
    if (client.status === "erased") return w.refuse(GoneError(), event, "failure");
    const lang = language ?? (row.language === "en" ? "en" : "zh-CN");
    const pkg = await buildAccessPackage(services, w.tx, row.type as AccessPackage["kind"], row.client_id, row.id, lang, settings.now());
    // Recorded against the client too: the download is itself an access the next package lists.
    w.record({
      action: "client.export",
      targetType: "client",
      targetId: row.client_id,
      outcome: "success",
      details: { requestId, format, events: pkg.accessHistory.length, documents: pkg.documents.length, files: pkg.documents.filter((d) => d.file).length },
    });
    return format === "html" ? { html: renderPackageHtml(pkg) } : { json: pkg };
  });
}
