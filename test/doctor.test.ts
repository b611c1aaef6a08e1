/**
 * `custodia doctor`: a sound vault reads ok line by line; a loose data directory, a missing relay,
 * an expiring certificate and a stuck setting each get their own line and a fix.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { addDoctorCommand, type DoctorFinding, formatFindings, runDoctor } from "../src/cli/doctor.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";

const byCheck = (findings: readonly DoctorFinding[]) => Object.fromEntries(findings.map((f) => [f.check, f]));
/** Only what points at the vault: the machine's own CUSTODIA_* settings stay out of the test. */
const envFor = (db: TestDatabase, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, ...db.env, ...extra });

for (const dialect of DIALECTS) {
  describe(`${dialect}: custodia doctor on a fresh vault`, () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      const services = await db.open();
      await services.close();
      chmodSync(db.config.dataDir, 0o700);
    });
    afterAll(async () => {
      await db?.cleanup();
    });

    it("reports ok for permissions, database, key provider, clock and audit; warns about the outboxes and the missing backup", async () => {
      const findings = await runDoctor({ dataDir: db.config.dataDir, env: envFor(db) });
      const f = byCheck(findings);
      expect(findings.map((x) => x.check)).toEqual([
        "config",
        "data-dir",
        "key-file",
        "tls",
        "database",
        "key-provider",
        "mail",
        "sms",
        "backups",
        "clock",
        "audit",
        "metrics",
      ]);
      for (const check of ["config", "data-dir", "key-file", "database", "key-provider", "clock", "audit", "metrics"])
        expect(f[check]?.status, check).toBe("ok");
      expect(f["key-file"]!.message).toContain("0600");
      expect(f.database!.message).toContain(dialect);
      expect(f.mail).toMatchObject({ status: "warn", message: expect.stringContaining("development outbox") });
      expect(f.sms!.status).toBe("warn");
      expect(f.backups!.status).toBe("warn");
      // Plain HTTP on loopback is allowed, and said so.
      expect(f.tls).toMatchObject({ status: "warn", message: expect.stringContaining("plain HTTP on 127.0.0.1") });
      expect(findings.some((x) => x.status === "fail")).toBe(false);
    });

    it("is ok about mail once a relay is configured, and fails a token serve would refuse", async () => {
      const f = byCheck(
        await runDoctor({
          dataDir: db.config.dataDir,
          env: envFor(db, {
            CUSTODIA_SMTP_URL: "smtps://mailer:secret@mail.firm.test:465",
            CUSTODIA_SMTP_FROM: "privacy@firm.test",
            CUSTODIA_METRICS_TOKEN: "short",
          }),
        }),
      );
      expect(f.mail).toMatchObject({ status: "ok", message: expect.stringContaining("mail.firm.test") });
      expect(f.mail!.message).not.toContain("secret");
      expect(f.metrics!.status).toBe("fail");
    });

    it("fails a data directory group and others can enter, with the chmod that fixes it", async () => {
      chmodSync(db.config.dataDir, 0o755);
      try {
        const f = byCheck(await runDoctor({ dataDir: db.config.dataDir, env: envFor(db) }));
        expect(f["data-dir"]).toMatchObject({ status: "fail", fix: `chmod 700 ${db.config.dataDir}` });
        expect(f["data-dir"]!.message).toContain("0755");
      } finally {
        chmodSync(db.config.dataDir, 0o700);
      }
    });
  });
}

describe("custodia doctor: paths, TLS and the command line", () => {
  const scratch = mkdtempSync(join(tmpdir(), "custodia-doctor-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  /** A self-signed certificate valid for `days`, with its key (mode 0600). */
  function certificate(days: number): { cert: string; key: string } {
    const cert = join(scratch, `cert-${days}.pem`);
    const key = join(scratch, `key-${days}.pem`);
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-subj",
        "/CN=custodia.firm.test",
        "-days",
        String(days),
        "-keyout",
        key,
        "-out",
        cert,
      ],
      {
        stdio: "ignore",
      },
    );
    chmodSync(key, 0o600);
    return { cert, key };
  }

  it("warns of a certificate that expires within 30 days, passes a longer one, and fails a mismatched key", async () => {
    const soon = certificate(10);
    const later = certificate(200);
    const env = { CUSTODIA_DATA_DIR: join(scratch, "none") };
    const tls = async (cert: string, key: string) => byCheck(await runDoctor({ env, tlsCert: cert, tlsKey: key })).tls!;
    expect(await tls(soon.cert, soon.key)).toMatchObject({ status: "warn", message: expect.stringMatching(/expires in (9|10) days/) });
    expect(await tls(later.cert, later.key)).toMatchObject({ status: "ok" });
    expect(await tls(later.cert, soon.key)).toMatchObject({ status: "fail", fix: expect.stringContaining("private key") });
    expect(byCheck(await runDoctor({ env, tlsCert: later.cert })).tls!.status).toBe("fail");
    expect(byCheck(await runDoctor({ env, behindTlsProxy: true })).tls!.status).toBe("ok");
    expect(byCheck(await runDoctor({ env, host: "0.0.0.0" })).tls!.status).toBe("fail");
  });

  it("fails a data directory that does not exist without creating it, and exits 1 with --json", async () => {
    const missing = join(scratch, "no-vault-here");
    const logged: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void logged.push(line));
    const program = addDoctorCommand(new Command("custodia")).parent!;
    await program.parseAsync(["node", "custodia", "doctor", "--data-dir", missing, "--json"]);
    const { findings } = JSON.parse(logged.join("\n")) as { findings: DoctorFinding[] };
    const f = byCheck(findings);
    expect(f["data-dir"]).toMatchObject({ status: "fail", fix: expect.stringContaining("custodia migrate") });
    expect(f.database!.status).toBe("fail");
    expect(process.exitCode).toBe(1);
    expect(() => chmodSync(missing, 0o700)).toThrow(); // still absent
  });

  it("prints one line per check with its fix", () => {
    const text = formatFindings([
      { check: "data-dir", status: "fail", message: "/srv/x is mode 0755", fix: "chmod 700 /srv/x" },
      { check: "clock", status: "ok", message: "agree" },
    ]);
    expect(text.split("\n")).toEqual(["fail  data-dir  /srv/x is mode 0755 — fix: chmod 700 /srv/x", "ok    clock     agree"]);
  });
});
