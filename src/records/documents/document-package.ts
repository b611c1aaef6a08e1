/**
 * A client's documents as their access package lists them (DSR-1; src/rights/requests/access-package.ts):
 * built from this client's rows when the package is downloaded, never stored. Each document gives
 * its category, level, size, versions, dates, what the scan found in it (counts per type, never
 * values) and every copy handed out. Titles are left out, as matter titles are, because they can
 * name other parties; the client's own identity documents (category `identity_proof`) are theirs
 * entirely, so their title and the file itself come with the package, up to a size limit.
 */
import { pipeline, type Readable } from "node:stream";
import type { Level } from "../../access/policy/roles.js";
import type { Tx } from "../../platform/db/engine.js";
import type { Services } from "../../platform/services.js";
import type { DataKey } from "../../vault/vault.js";
import type { DocumentCategory } from "./document.js";
import { openDocumentText, openFindings, sizeOf } from "./document-store.js";
import type { PiiType } from "./pii/types.js";

/** One identity file at most this large is included; a larger one is listed with a note. */
export const IDENTITY_FILE_MAX_BYTES = 10 * 1024 * 1024;
/** All identity files of one package together: the package is a single JSON answer. */
export const IDENTITY_FILES_TOTAL_MAX_BYTES = 32 * 1024 * 1024;

export interface PackageDocumentCopy {
  at: string;
  /** `download` by a staff member, `share` to an outside recipient. */
  kind: string;
  /** The staff member who downloaded it (the package names them by role or name, as for accesses). */
  userId: string | null;
  userRole: string | null;
}

export interface PackageDocument {
  id: string;
  category: DocumentCategory;
  level: Level;
  /** Only for the client's own identity documents. */
  title: string | null;
  /** A redacted copy made from another of the client's documents. */
  redactedFrom: string | null;
  mediaType: string;
  sizeBytes: number;
  versions: number;
  createdAt: string;
  updatedAt: string;
  /** What the scan of the current version found: counts per type. */
  findings: Partial<Record<PiiType, number>>;
  copies: PackageDocumentCopy[];
  /** The client's identity document itself, base64; null with a reason when left out. */
  file: { filename: string; mediaType: string; base64: string } | null;
  fileOmitted: "too_large" | "unreadable" | null;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The client's live documents, oldest first. `key` is the client's data key (null once erased: then nothing is listed). */
export async function packageDocuments(services: Services, tx: Tx, clientId: string, key: DataKey | null): Promise<PackageDocument[]> {
  if (!key) return [];
  const rows = await tx
    .selectFrom("documents as d")
    .innerJoin("document_versions as v", (j) => j.onRef("v.document_id", "=", "d.id").onRef("v.version", "=", "d.current_version"))
    .selectAll("d")
    .select(["v.blob_key", "v.size_bytes", "v.media_type", "v.findings_ct"])
    .where("d.client_id", "=", clientId)
    .where("d.destroyed_at", "is", null)
    .orderBy("d.created_at")
    .orderBy("d.id")
    .execute();
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const copies = new Map<string, PackageDocumentCopy[]>();
  const versions = new Map<string, number>();
  for (let i = 0; i < ids.length; i += 500) {
    const slice = ids.slice(i, i + 500);
    for (const c of await tx
      .selectFrom("document_copies as c")
      .leftJoin("users as u", "u.id", "c.user_id")
      .select(["c.document_id", "c.created_at", "c.kind", "c.user_id", "u.role"])
      .where("c.document_id", "in", slice)
      .orderBy("c.created_at")
      .execute()) {
      const list = copies.get(c.document_id) ?? [];
      list.push({ at: c.created_at, kind: c.kind, userId: c.user_id, userRole: c.role ?? null });
      copies.set(c.document_id, list);
    }
    for (const v of await tx
      .selectFrom("document_versions")
      .select((eb) => ["document_id", eb.fn.countAll<number | string>().as("n")])
      .where("document_id", "in", slice)
      .groupBy("document_id")
      .execute())
      versions.set(v.document_id, Number(v.n));
  }
  let budget = IDENTITY_FILES_TOTAL_MAX_BYTES;
  const out: PackageDocument[] = [];
  for (const row of rows) {
    const own = row.category === "identity_proof" && row.derived_from === null;
    const summary = row.findings_ct ? openFindings(services.vault, key, row.id, row.current_version, row.findings_ct).summary : {};
    const size = sizeOf(row);
    let file: PackageDocument["file"] = null;
    let fileOmitted: PackageDocument["fileOmitted"] = null;
    if (own && row.wrapped_file_key) {
      if (size > IDENTITY_FILE_MAX_BYTES || size > budget) fileOmitted = "too_large";
      else {
        try {
          // A fresh decryptor checks every segment: a tampered or missing file is left out, not sent.
          const decryptor = services.vault.fileDecryptor(key, row.wrapped_file_key, { documentId: row.id, version: row.current_version });
          const plain = await readAll(pipeline(services.blobs.get(row.blob_key), decryptor, () => {}));
          budget -= plain.length;
          const filename = row.filename_ct ? openDocumentText(services.vault, key, row.id, "filename", row.filename_ct) : "document";
          file = { filename, mediaType: row.media_type, base64: plain.toString("base64") };
          plain.fill(0);
        } catch {
          fileOmitted = "unreadable";
        }
      }
    }
    out.push({
      id: row.id,
      category: row.category as DocumentCategory,
      level: row.level as Level,
      title: own && row.title_ct ? openDocumentText(services.vault, key, row.id, "title", row.title_ct) : null,
      redactedFrom: row.derived_from,
      mediaType: row.media_type,
      sizeBytes: size,
      versions: versions.get(row.id) ?? 1,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      findings: Object.fromEntries(Object.entries(summary).map(([type, counts]) => [type, counts.count])),
      copies: copies.get(row.id) ?? [],
      file,
      fileOmitted,
    });
  }
  return out;
}

export const CATEGORY_LABELS: Readonly<Record<DocumentCategory, { zh: string; en: string }>> = Object.freeze({
  case_file: { zh: "案件文件", en: "Case file" },
  contract: { zh: "合同协议", en: "Contract" },
  identity_proof: { zh: "个人身份证明", en: "Identity document" },
  financial_record: { zh: "财务信息", en: "Financial record" },
  correspondence: { zh: "通信记录", en: "Correspondence" },
  other: { zh: "其他", en: "Other" },
});

export const PII_TYPE_LABELS: Readonly<Record<PiiType, { zh: string; en: string }>> = Object.freeze({
  resident_id: { zh: "居民身份证号码", en: "Resident ID number" },
  residence_permit: { zh: "港澳台居民居住证号码", en: "Residence permit number" },
  uscc: { zh: "统一社会信用代码", en: "Unified social credit code" },
  mobile: { zh: "手机号码", en: "Mobile number" },
  landline: { zh: "固定电话", en: "Landline number" },
  bank_card: { zh: "银行卡号", en: "Bank card number" },
  hk_id: { zh: "香港身份证号码", en: "Hong Kong identity card number" },
  macau_id: { zh: "澳门身份证号码", en: "Macau identity card number" },
  taiwan_id: { zh: "台湾身份证号码", en: "Taiwan ID number" },
  hk_macau_travel_permit: { zh: "港澳居民来往内地通行证号码", en: "Home-return permit number (Hong Kong, Macau)" },
  taiwan_travel_permit: { zh: "台湾居民来往大陆通行证号码", en: "Mainland travel permit number (Taiwan)" },
  exit_entry_permit: { zh: "往来港澳台通行证号码", en: "Exit-entry permit number" },
  passport: { zh: "护照号码", en: "Passport number" },
  email: { zh: "电子邮箱", en: "Email address" },
  person_name: { zh: "姓名", en: "Name" },
  address: { zh: "地址", en: "Address" },
});

export const COPY_KIND_LABELS: Readonly<Record<string, { zh: string; en: string }>> = Object.freeze({
  download: { zh: "下载", en: "Download" },
  share: { zh: "对外分享", en: "Shared with an outside recipient" },
});
