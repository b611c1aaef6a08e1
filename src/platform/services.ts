import { createAuditLog, type AuditLog, type AuditObserver } from "./audit/audit-log.js";
import { type AuditSequencer, SEQUENCER_INTERVAL_MS, startAuditSequencer } from "./audit/audit-sequencer.js";
import { DEFAULT_DOCUMENT_MAX_BYTES, TOKEN_MAX_DAYS_CEILING, type Config } from "./config.js";
import type { BlobStore } from "./blobs/blob-store.js";
import { FileBlobStore } from "./blobs/file-blob-store.js";
import { PostgresBlobStore } from "./blobs/postgres-blob-store.js";
import { createDetector, type Detector } from "../response/detection/detector.js";
import { severityRank } from "../response/detection/rules.js";
import { notify, NOTIFY_MIN_SEVERITY } from "../response/notifications/notifier.js";
import type { Engine } from "./db/engine.js";
import { migrateToLatest } from "./db/migrator.js";
import { openEngine } from "./db/open.js";
import { KeyRing } from "../vault/keys/key-ring.js";
import { PurposeRegistry } from "../records/purposes/purpose-registry.js";
import type { KeyProvider } from "../vault/key-provider.js";
import { keyProviderFor } from "../vault/providers/index.js";
import { openVault } from "../vault/keys/vault-root.js";
import { backfillSearchTokens } from "../records/clients/search-tokens.js";
import type { Vault } from "../vault/vault.js";

/** Everything a command needs, built once per process. */
export interface Services {
  readonly engine: Engine;
  readonly vault: Vault;
  readonly keyRing: KeyRing;
  readonly auditLog: AuditLog;
  /** Places appended events in the log and signs checkpoints, off the request path. */
  readonly auditSequencer: AuditSequencer;
  /** Streaming detection rules, evaluated on every audit append (AUD-2). */
  readonly detector: Detector;
  readonly purposes: PurposeRegistry;
  /** Longest life of an API token of an L3+ user, in days (Config.tokenMaxDays). */
  readonly tokenMaxDays: number;
  /** Where document ciphertext lives (Config.blobStore). */
  readonly blobs: BlobStore;
  /** Largest document file accepted, in bytes. */
  readonly documentMaxBytes: number;
  close(): Promise<void>;
}

export interface OpenOptions {
  keyProvider?: KeyProvider;
  migrate?: boolean;
  /** Milliseconds between sequencer batches (env CUSTODIA_AUDIT_SEQUENCER_MS). */
  sequencerIntervalMs?: number;
}

export async function openServices(config: Config, options: OpenOptions = {}): Promise<Services> {
  const engine = openEngine(config);
  try {
    if (options.migrate !== false) await migrateToLatest(engine);
    const vault = await openVault(engine, options.keyProvider ?? keyProviderFor(config, { create: true }));
    const keyRing = new KeyRing(vault);
    await engine.db.transaction().execute(async (tx) => {
      await engine.lockAuditChain(tx); // also serialises first-start key creation among servers
      await keyRing.initialise(tx, new Date().toISOString());
      await keyRing.activeKekVersion(tx); // fails fast on a wrong master key
    });
    // Prefix and tail search tokens are keyed, so migration 0037 cannot write them: clients without any get them here.
    if (options.migrate !== false) await backfillSearchTokens(engine.db, keyRing);
    // The detector appends its own events (containment) through the log it observes.
    const observers: AuditObserver[] = [];
    const auditLog = createAuditLog(engine, vault, observers);
    // Alerts of severity ≥ high reach their subscribers through the notification outbox.
    const detector = createDetector(auditLog, {
      onAlert: async (tx, a) => {
        if (severityRank(a.severity) >= severityRank(NOTIFY_MIN_SEVERITY))
          await notify(tx, vault, { kind: "alert.raised", alertId: a.id, ruleCode: a.ruleCode, severity: a.severity, userId: a.userId, at: a.at });
      },
    });
    observers.push(detector.onAppended);
    const auditSequencer = startAuditSequencer(
      engine,
      auditLog,
      options.sequencerIntervalMs ?? (Number(process.env.CUSTODIA_AUDIT_SEQUENCER_MS) || SEQUENCER_INTERVAL_MS),
    );
    return {
      engine,
      vault,
      keyRing,
      auditLog,
      auditSequencer,
      detector,
      purposes: new PurposeRegistry(engine.db),
      tokenMaxDays: config.tokenMaxDays ?? TOKEN_MAX_DAYS_CEILING,
      blobs: config.blobStore === "database" ? new PostgresBlobStore(engine.db) : new FileBlobStore(config.dataDir),
      documentMaxBytes: config.documentMaxBytes ?? DEFAULT_DOCUMENT_MAX_BYTES,
      // What this process appended is placed before it goes: a CLI command's events do not wait for a server.
      close: async () => {
        await auditSequencer.stop({ flush: true });
        await engine.destroy();
      },
    };
  } catch (error) {
    await engine.destroy();
    throw error;
  }
}
