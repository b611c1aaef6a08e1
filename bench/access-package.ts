/**
 * package: time to build one client's access package (PIPL Art. 45) when the audit log holds
 * 10,000 events about that client, through buildAccessPackage (what the portal download of a
 * fulfilled access request runs), vs the 1 s budget; for scale, vs a bare select of the
 * same audit rows plus JSON.stringify, measured on the same file in this run.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import type { AuditEventInput } from "../src/platform/audit/audit-event.js";
import type { ClientData } from "../src/records/clients/client.js";
import { importClients } from "../src/records/clients/client-importer.js";
import { loadConfig } from "../src/platform/config.js";
import { syntheticClients } from "../src/platform/demo/synthetic.js";
import { createMatter } from "../src/records/matters/matter-creator.js";
import { buildAccessPackage, renderPackageHtml } from "../src/rights/requests/access-package.js";
import { openServices, type Services } from "../src/platform/services.js";
import { addUser, CONSOLE_OPERATOR } from "../src/identity/users/user-admin.js";
import { fmt, MemoryKeyProvider, median, now, settle, tempDir, type Benchmark } from "./lib.js";

const BUDGET_MS = 1000;
const TARGET_EVENTS = 10_000;
const CHUNK = 5_000;
const PURPOSES = ["case-handling", "conflict-check", "billing", "client-service"];
const setup = (n: string) => `bench-setup-${n}`;

interface Seeded {
  clientId: string;
  staff: number;
  logEvents: number;
}

/**
 * One client with TARGET_EVENTS audit events about it (reads, updates and exports by 8 named staff
 * with purposes), interleaved with `background` events about 2,000 other clients, all appended
 * through the real audit log (one valid hash chain, signed checkpoints); plus two matters.
 */
async function seed(services: Services, background: number): Promise<Seeded> {
  const partner = await addUser(
    services,
    CONSOLE_OPERATOR,
    { email: "partner@bench.example.com", role: "partner", password: "bench-password-not-secret", displayName: "基准合伙人" },
    setup("partner"),
  );
  const staff = [{ id: partner.id, role: "partner" }];
  for (let i = 0; i < 7; i++) {
    const role = i % 3 === 0 ? "paralegal" : "lawyer";
    const u = await addUser(
      services,
      CONSOLE_OPERATOR,
      { email: `staff${i}@bench.example.com`, role: "paralegal", password: "bench-password-not-secret", displayName: `基准员工${i}` },
      setup(`staff${i}`),
    );
    // Seeding only: a lawyer's role needs a second approver in production (issue #10), written directly here.
    if (role === "lawyer") await services.engine.db.updateTable("users").set({ role }).where("id", "=", u.id).execute();
    staff.push({ id: u.id, role });
  }
  const next = syntheticClients(5);
  const ctx = { actor: { userId: partner.id, role: "partner" as const }, requestId: setup("import"), purpose: null };
  const batch: ClientData[] = Array.from({ length: 2_001 }, () => ({ ...next(), purposes: PURPOSES }));
  const [clientId, ...others] = await importClients(services, ctx, batch);
  for (let m = 0; m < 2; m++) {
    await createMatter(services, ctx, {
      clientId: clientId!,
      number: `2026-民-${m + 1}`,
      title: `基准案件${m}`,
      practiceArea: "litigation",
      responsiblePartnerId: partner.id,
      team: [{ userId: staff[1]!.id, role: "member" }],
    });
  }
  // Eight staff reading one client thousands of times is what bulk_read exists to flag: rules
  // still run on every append (the real path), but containment is off so nobody is suspended.
  await services.engine.db.updateTable("detection_rules").set({ containment: "none" }).execute();
  services.detector.invalidate();

  const total = TARGET_EVENTS + background;
  // Every (total / TARGET_EVENTS)-th event is about our client, the rest about the others.
  const every = total / TARGET_EVENTS;
  let ours = 0;
  for (let done = 0; done < total; done += CHUNK) {
    const events: AuditEventInput[] = [];
    for (let i = done; i < Math.min(done + CHUNK, total); i++) {
      const mine = ours < TARGET_EVENTS && Math.floor(i / every) >= ours;
      const actor = staff[i % staff.length]!;
      const action = i % 50 === 0 ? "client.update" : i % 97 === 0 ? "client.export" : "client.read";
      events.push({
        action,
        outcome: i % 211 === 0 ? "denied" : "success",
        actorId: actor.id,
        actorRole: actor.role,
        targetType: "client",
        targetId: mine ? clientId! : others[(i * 7919) % others.length]!,
        purpose: PURPOSES[i % PURPOSES.length]!,
        reason: actor.role === "paralegal" ? "clearance_below_level" : "permitted",
        requestId: randomUUID(),
        details: actor.role === "paralegal" ? { masked: ["idNumber"] } : null,
      });
      if (mine) ours++;
    }
    const at = new Date(Date.UTC(2025, 0, 1) + done * 60_000).toISOString();
    await services.engine.db.transaction().execute((tx) => services.auditLog.append(tx, events, at));
  }
  const counted = await services.engine.db
    .selectFrom("audit_events")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("target_type", "=", "client")
    .where("target_id", "=", clientId!)
    .executeTakeFirstOrThrow();
  if (Number(counted.n) < TARGET_EVENTS) throw new Error(`seeded ${counted.n} events about the client, expected ≥ ${TARGET_EVENTS}`);
  const log = await services.engine.db
    .selectFrom("audit_events")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return { clientId: clientId!, staff: staff.length, logEvents: Number(log.n) };
}

/** The real path: one read transaction, buildAccessPackage, serialised as the portal sends it. */
async function ours(services: Services, clientId: string): Promise<{ ms: number; events: number; bytes: number }> {
  const t = now();
  const pkg = await services.engine.db.transaction().execute((tx) => buildAccessPackage(services, tx, "access", clientId, randomUUID(), "zh-CN", new Date()));
  const bytes = JSON.stringify(pkg).length;
  return { ms: (now() - t) * 1000, events: pkg.accessHistory.length, bytes };
}

/**
 * The floor: the same audit rows selected with a prepared statement (on a connection opened once)
 * and serialised; no decryption, labels, purposes, consents or matters.
 */
function bareSelect(file: string): { run(clientId: string): { ms: number; events: number }; close(): void } {
  const db = new SQLite(file, { readonly: true });
  const select = db.prepare(
    "SELECT at, actor_id, actor_role, action, purpose, outcome FROM audit_events WHERE target_type = 'client' AND target_id = ? ORDER BY seq",
  );
  return {
    run(clientId) {
      const t = now();
      const rows = select.all(clientId);
      JSON.stringify(rows);
      return { ms: (now() - t) * 1000, events: rows.length };
    },
    close: () => db.close(),
  };
}

export const accessPackageBench: Benchmark = {
  name: "package",
  summary: "access package for a client with 10,000 audit events (buildAccessPackage) vs the 1 s budget",
  async run({ quick, log }) {
    const background = quick ? 10_000 : 190_000;
    const rounds = quick ? 3 : 7;
    const dir = tempDir("package");
    // An empty environment: CUSTODIA_DATABASE_URL must not send this to PostgreSQL.
    const services = await openServices(loadConfig({ dataDir: dir.path }, {}), { keyProvider: new MemoryKeyProvider() });
    try {
      const t0 = now();
      const seeded = await seed(services, background);
      log(`seeded ${fmt(seeded.logEvents)} audit events (${fmt(TARGET_EVENTS)}+ about the client, ${seeded.staff} staff) in ${(now() - t0).toFixed(1)}s`);
      // Staff named rather than by role: the costlier path (a batched users lookup).
      await services.engine.db.updateTable("firm_settings").set({ value: "names" }).where("key", "=", "requests.access_history_actors").execute();

      // Warm-up of both (statement caches, page cache), then alternating rounds; medians.
      const bare = bareSelect(join(dir.path, "custodia.db"));
      await ours(services, seeded.clientId);
      bare.run(seeded.clientId);
      const oursMs: number[] = [];
      const bareMs: number[] = [];
      let events = 0;
      let bytes = 0;
      for (let r = 0; r < rounds; r++) {
        await settle();
        const b = bare.run(seeded.clientId);
        bareMs.push(b.ms);
        await settle();
        const o = await ours(services, seeded.clientId);
        oursMs.push(o.ms);
        if (o.events !== b.events || o.events < TARGET_EVENTS)
          throw new Error(`package lists ${o.events} events, bare select ${b.events}, expected ≥ ${TARGET_EVENTS}`);
        events = o.events;
        bytes = o.bytes;
        log(`round ${r + 1}: ours ${o.ms.toFixed(1)} ms, bare select ${b.ms.toFixed(1)} ms`);
      }
      // The HTML rendering (the other download format), for the record only.
      const pkg = await services.engine.db
        .transaction()
        .execute((tx) => buildAccessPackage(services, tx, "access", seeded.clientId, randomUUID(), "en", new Date()));
      const th = now();
      const htmlBytes = renderPackageHtml(pkg).length;
      const htmlMs = (now() - th) * 1000;
      log(`html render: ${htmlMs.toFixed(1)} ms (${fmt(htmlBytes)} chars)`);
      bare.close();

      const oursMedian = median(oursMs);
      const bareMedian = median(bareMs);
      return {
        rows: [
          {
            benchmark: `package ${fmt(events / 1000)}k events`,
            unit: "ms",
            ours: oursMedian,
            peerLabel: "1 s budget",
            peer: BUDGET_MS,
            ratio: oursMedian / BUDGET_MS,
            target: { op: "<=", value: 1 },
          },
          {
            benchmark: "package vs bare select+JSON",
            unit: "ms",
            ours: oursMedian,
            peerLabel: "raw sqlite",
            peer: bareMedian,
            ratio: oursMedian / bareMedian,
            target: null,
          },
        ],
        details: { ...seeded, events, background, rounds, jsonChars: bytes, htmlChars: htmlBytes, htmlMs, oursMs, bareMs, naming: "names" },
      };
    } finally {
      await services.close();
      dir.remove();
    }
  },
};
