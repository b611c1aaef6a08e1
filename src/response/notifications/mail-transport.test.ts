import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../platform/config.js";
import { describeMailSetup, isLoopbackHost, MailDeliveryError, SmtpMailer, smtpSettingsFromEnv } from "./mail-transport.js";

const FROM = { CUSTODIA_SMTP_FROM: "no-reply@firm.cn" };

describe("mail settings from the environment", () => {
  it("nothing configured: the dev outbox, no problems", () => {
    expect(smtpSettingsFromEnv({})).toBeNull();
    expect(describeMailSetup({})).toEqual({ kind: "dev-outbox", tls: "none", dkim: false, privateCa: false, problems: [] });
  });

  it("smtp:// requires STARTTLS and defaults to port 587; smtps:// is implicit TLS on 465", () => {
    const smtp = smtpSettingsFromEnv({ CUSTODIA_SMTP_URL: "smtp://mailer:p%40ss@relay.firm.cn", ...FROM });
    expect(smtp).toMatchObject({ kind: "smtp", host: "relay.firm.cn", port: 587, tls: "starttls-required", auth: { user: "mailer", pass: "p@ss" } });
    const smtps = smtpSettingsFromEnv({ CUSTODIA_SMTP_URL: "smtps://relay.firm.cn", ...FROM });
    expect(smtps).toMatchObject({ kind: "smtps", port: 465, tls: "implicit", auth: null });
    expect(smtpSettingsFromEnv({ CUSTODIA_SMTP_URL: "smtp://relay.firm.cn:2525", CUSTODIA_SMTP_FROM: "律所 <no-reply@firm.cn>" })).toMatchObject({
      port: 2525,
      from: { name: "律所", address: "no-reply@firm.cn" },
    });
  });

  it("?tls=optional only for a loopback relay", () => {
    expect(smtpSettingsFromEnv({ CUSTODIA_SMTP_URL: "smtp://127.0.0.1:25?tls=optional", ...FROM })?.tls).toBe("optional-loopback");
    expect(smtpSettingsFromEnv({ CUSTODIA_SMTP_URL: "smtp://[::1]:25?tls=optional", ...FROM })).toMatchObject({ host: "::1", tls: "optional-loopback" });
    expect(() => smtpSettingsFromEnv({ CUSTODIA_SMTP_URL: "smtp://relay.firm.cn:25?tls=optional", ...FROM })).toThrow(/loopback/);
    expect(() => smtpSettingsFromEnv({ CUSTODIA_SMTP_URL: "smtp://10.0.0.5:25?tls=optional", ...FROM })).toThrow(ConfigError);
    expect(() => smtpSettingsFromEnv({ CUSTODIA_SMTP_URL: "smtps://127.0.0.1?tls=optional", ...FROM })).toThrow(/smtps/);
    // Nothing else rides in on the URL (nodemailer would read e.g. tls.rejectUnauthorized from it).
    expect(() => smtpSettingsFromEnv({ CUSTODIA_SMTP_URL: "smtp://relay.firm.cn?tls.rejectUnauthorized=false", ...FROM })).toThrow(/only \?tls=optional/);
    expect(() => smtpSettingsFromEnv({ CUSTODIA_SMTP_URL: "smtp://127.0.0.1?tls=off", ...FROM })).toThrow(/only \?tls=optional/);
    expect(isLoopbackHost("127.8.9.10")).toBe(true);
    expect(isLoopbackHost("128.0.0.1")).toBe(false);
    expect(isLoopbackHost("localhost.evil.cn")).toBe(false);
  });

  it("reports every problem without echoing the password", () => {
    const setup = describeMailSetup({ CUSTODIA_SMTP_URL: "http://mailer:hunter2@relay.firm.cn", CUSTODIA_DKIM_DOMAIN: "firm.cn" });
    expect(setup.problems).toEqual([
      "CUSTODIA_SMTP_URL must start with smtp:// or smtps://.",
      "CUSTODIA_SMTP_FROM is required with CUSTODIA_SMTP_URL.",
      "DKIM needs all of CUSTODIA_DKIM_DOMAIN, CUSTODIA_DKIM_SELECTOR and CUSTODIA_DKIM_KEY_FILE.",
    ]);
    expect(JSON.stringify(setup)).not.toContain("hunter2");
    const thrown = (() => {
      try {
        smtpSettingsFromEnv({ CUSTODIA_SMTP_URL: "smtp://mailer:hunter2@", ...FROM });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(thrown?.message).not.toContain("hunter2");
    expect(describeMailSetup({ CUSTODIA_SMTP_URL: "smtp://mailer@relay.firm.cn", ...FROM }).problems).toEqual([
      "CUSTODIA_SMTP_URL needs both a user and a password, or neither.",
    ]);
    expect(describeMailSetup({ CUSTODIA_SMTP_URL: "smtp://relay.firm.cn", CUSTODIA_SMTP_FROM: "a@firm.cn, b@firm.cn" }).problems).toHaveLength(1);
    expect(describeMailSetup({ CUSTODIA_SMTP_URL: "smtp://mailer:50%zz@relay.firm.cn", ...FROM }).problems[0]).toMatch(/malformed %-escape/);
  });

  it("mail settings without a relay are a problem, not a silent dev outbox", () => {
    expect(describeMailSetup({ CUSTODIA_SMTP_FROM: "no-reply@firm.cn" }).problems).toEqual([
      "CUSTODIA_SMTP_FROM set without CUSTODIA_SMTP_URL: mail would go to the development outbox.",
    ]);
    expect(() => smtpSettingsFromEnv({ CUSTODIA_DKIM_KEY_FILE: "/x" })).toThrow(ConfigError);
  });

  it("reads the private CA and the DKIM key, and names unreadable files by variable only", () => {
    const dir = mkdtempSync(join(tmpdir(), "custodia-mail-"));
    const key = join(dir, "dkim.pem");
    writeFileSync(key, generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }));
    writeFileSync(join(dir, "not-a-cert.pem"), "hello");
    const env = {
      CUSTODIA_SMTP_URL: "smtp://relay.firm.cn",
      ...FROM,
      CUSTODIA_DKIM_DOMAIN: "firm.cn",
      CUSTODIA_DKIM_SELECTOR: "s1",
      CUSTODIA_DKIM_KEY_FILE: key,
    };
    expect(smtpSettingsFromEnv(env)?.dkim).toMatchObject({ domainName: "firm.cn", keySelector: "s1" });
    expect(describeMailSetup(env)).toEqual({
      kind: "smtp",
      host: "relay.firm.cn",
      port: 587,
      tls: "starttls-required",
      dkim: true,
      privateCa: false,
      problems: [],
    });
    expect(describeMailSetup({ ...env, CUSTODIA_SMTP_CA_FILE: join(dir, "missing.pem") }).problems).toEqual(["Cannot read CUSTODIA_SMTP_CA_FILE (ENOENT)."]);
    expect(describeMailSetup({ ...env, CUSTODIA_SMTP_CA_FILE: join(dir, "not-a-cert.pem") }).problems).toEqual([
      "CUSTODIA_SMTP_CA_FILE holds no PEM certificate.",
    ]);
    expect(describeMailSetup({ ...env, CUSTODIA_DKIM_KEY_FILE: join(dir, "not-a-cert.pem") }).problems).toEqual([
      "CUSTODIA_DKIM_KEY_FILE holds no PEM private key.",
    ]);
  });
});

describe("mail delivery errors", () => {
  it("keep the code and reply number, never the message", () => {
    const raw = Object.assign(new Error("Can't send mail - all recipients were rejected: 550 <client@example.cn>"), { code: "EENVELOPE", responseCode: 550 });
    const error = MailDeliveryError.from(raw);
    expect([error.code, error.detail, error.responseCode]).toEqual(["EENVELOPE", null, 550]);
    expect(error.message).not.toContain("client@example.cn");
    expect(error.cause).toBeUndefined();
    expect(MailDeliveryError.from(Object.assign(new Error("x"), { code: "<client@example.cn>" })).code).toBe("EUNKNOWN");
    const untrusted = MailDeliveryError.from(
      Object.assign(new Error("self-signed certificate"), { code: "ESOCKET", originalCode: "DEPTH_ZERO_SELF_SIGNED_CERT" }),
    );
    expect([untrusted.code, untrusted.detail]).toEqual(["ECERT", "DEPTH_ZERO_SELF_SIGNED_CERT"]);
    expect(MailDeliveryError.from(Object.assign(new Error("refused"), { code: "ESOCKET", originalCode: "ECONNREFUSED" })).message).toBe(
      "Mail delivery failed (ESOCKET ECONNREFUSED): The relay could not be reached.",
    );
  });

  it("a recipient that is not one plain address is refused before any connection", async () => {
    const settings = smtpSettingsFromEnv({ CUSTODIA_SMTP_URL: "smtp://127.0.0.1:9", ...FROM })!;
    for (const to of ["a@firm.cn, b@firm.cn", "a@firm.cn\r\nBcc: b@firm.cn", "<a@firm.cn>", "no-at-sign"]) {
      await expect(new SmtpMailer(settings).sendMail({ to, subject: "s", body: "b" })).rejects.toMatchObject({ name: "MailDeliveryError", code: "EENVELOPE" });
    }
  });
});
