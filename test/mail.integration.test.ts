/**
 * Mail against a real SMTP server: Debian's aiosmtpd (python3-aiosmtpd, installed by .ci/run),
 * started per mode by test/support/smtp-server.py with a throwaway self-signed certificate.
 * No database: the senders are the ones the server builds from the environment.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash, createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MailDeliveryError } from "../src/response/notifications/mail-transport.js";
import { mailSenderFromEnv } from "../src/response/notifications/email.js";
import { senderFromEnv } from "../src/rights/requests/code-sender.js";

const PYTHON = "/usr/bin/python3"; // Debian's, which has aiosmtpd; a pyenv python3 on PATH may not.
const SERVER_SCRIPT = fileURLToPath(new URL("./support/smtp-server.py", import.meta.url));
const USER = "mailer";
const PASSWORD = "s3cret-relay-pass";
const FROM = "Custodia <no-reply@firm.cn>";
const CLIENT = "client@example.cn";

interface Received {
  mailFrom: string;
  rcptTos: string[];
  data: string;
  authenticatedAs: string | null;
  tls: boolean;
  tlsVersion: string | null;
}

interface SmtpServer {
  port: number;
  messages(): Received[];
  commands(): { command: string; tls: boolean }[];
  stop(): void;
}

const root = mkdtempSync(join(tmpdir(), "custodia-mail-"));
const children: ChildProcess[] = [];

/** A self-signed certificate for 127.0.0.1 and localhost; openssl because node:crypto cannot make X.509. */
function selfSigned(name: string): { cert: string; key: string } {
  const cert = join(root, `${name}.crt`);
  const key = join(root, `${name}.key`);
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      `/CN=${name}`,
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "-keyout",
      key,
      "-out",
      cert,
    ],
    { stdio: "ignore" },
  );
  return { cert, key };
}

async function startSmtp(mode: "starttls" | "smtps" | "plain", cert: { cert: string; key: string }): Promise<SmtpServer> {
  const dir = join(root, `${mode}-${children.length}`);
  mkdirSync(dir);
  const args = [SERVER_SCRIPT, "--mode", mode, "--dir", dir, "--cert", cert.cert, "--key", cert.key, "--auth", `${USER}:${PASSWORD}`];
  const child = spawn(PYTHON, args, { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`smtp-server.py exited with ${code}: ${stderr}`)));
  });
  const { port } = JSON.parse(line) as { port: number };
  const readJsonLines = (file: string) =>
    existsSync(file)
      ? readFileSync(file, "utf8")
          .trim()
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l))
      : [];
  return {
    port,
    messages: () =>
      readdirSync(dir)
        .filter((f) => /^message-\d+\.json$/.test(f))
        .sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]))
        .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as Received),
    commands: () => readJsonLines(join(dir, "commands.jsonl")),
    stop: () => child.kill("SIGTERM"),
  };
}

/** Splits a received message into unfolded headers and the decoded text body. */
function parseMessage(raw: string): { headers: Map<string, string>; body: string; rawHeaders: string[]; rawBody: string } {
  const split = raw.indexOf("\r\n\r\n");
  const rawHeaders = raw.slice(0, split).split(/\r\n(?![ \t])/);
  const rawBody = raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const h of rawHeaders) {
    const colon = h.indexOf(":");
    headers.set(
      h.slice(0, colon).trim().toLowerCase(),
      h
        .slice(colon + 1)
        .replace(/\r\n/g, "")
        .trim(),
    );
  }
  const encoding = headers.get("content-transfer-encoding")?.toLowerCase();
  const body =
    encoding === "base64"
      ? Buffer.from(rawBody.replace(/\s+/g, ""), "base64").toString("utf8")
      : encoding === "quoted-printable"
        ? Buffer.from(
            rawBody.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
            "latin1",
          ).toString("utf8")
        : rawBody;
  return { headers, body, rawHeaders, rawBody };
}

/** RFC 2047 encoded words (as nodemailer writes a UTF-8 subject) back to text. */
function decodeWords(value: string): string {
  return value.replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=\s*/gi, (_, kind: string, text: string) =>
    kind.toUpperCase() === "B"
      ? Buffer.from(text, "base64").toString("utf8")
      : Buffer.from(
          text.replace(/_/g, " ").replace(/=([0-9A-F]{2})/gi, (__, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
          "latin1",
        ).toString("utf8"),
  );
}

/** RFC 6376 verification (relaxed/relaxed, rsa-sha256) of a message against a public key, as a receiving MTA would. */
function dkimVerifies(raw: string, publicKeyPem: string): { d: string; s: string; bodyHashOk: boolean; signatureOk: boolean } {
  const { rawHeaders, rawBody } = parseMessage(raw);
  const signature = rawHeaders.find((h) => /^dkim-signature:/i.test(h))!;
  const tags = Object.fromEntries(
    signature
      .slice(signature.indexOf(":") + 1)
      .replace(/\s+/g, "")
      .split(";")
      .filter(Boolean)
      .map((t) => [t.slice(0, t.indexOf("=")), t.slice(t.indexOf("=") + 1)]),
  ) as Record<string, string>;
  expect(tags.c).toBe("relaxed/relaxed");
  const lines = rawBody.split("\r\n").map((l) => l.replace(/[ \t]+/g, " ").replace(/ $/, ""));
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  const canonicalBody = lines.length ? `${lines.join("\r\n")}\r\n` : "";
  const bodyHashOk = createHash("sha256").update(canonicalBody).digest("base64") === tags.bh;
  const relaxed = (h: string) => {
    const colon = h.indexOf(":");
    return `${h.slice(0, colon).trim().toLowerCase()}:${h
      .slice(colon + 1)
      .replace(/\r\n/g, "")
      .replace(/[ \t]+/g, " ")
      .trim()}`;
  };
  const signed = tags.h!.split(":").map((name) => [...rawHeaders].reverse().find((h) => h.toLowerCase().startsWith(`${name.toLowerCase()}:`)));
  // The signature covers its own header with the b= value left empty (bh= is kept).
  const withoutB = relaxed(signature).replace(/(;\s*b=)[^;]*/, "$1");
  const data = `${signed.map((h) => `${relaxed(h!)}\r\n`).join("")}${withoutB}`;
  const signatureOk = verify("sha256", Buffer.from(data), createPublicKey(publicKeyPem), Buffer.from(tags.b!, "base64"));
  return { d: tags.d!, s: tags.s!, bodyHashOk, signatureOk };
}

describe("mail through a real SMTP server (aiosmtpd)", () => {
  const dataDir = join(root, "data");
  const cert = selfSigned("relay");
  const otherCa = selfSigned("someone-else");
  let starttls: SmtpServer;
  let smtps: SmtpServer;
  let plain: SmtpServer;
  const env = (url: string, extra: Record<string, string> = {}) => ({
    CUSTODIA_SMTP_URL: url,
    CUSTODIA_SMTP_FROM: FROM,
    CUSTODIA_SMTP_CA_FILE: cert.cert,
    ...extra,
  });
  const relayUrl = (scheme: "smtp" | "smtps", port: number, password = PASSWORD) => `${scheme}://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;

  beforeAll(async () => {
    mkdirSync(dataDir);
    [starttls, smtps, plain] = await Promise.all([startSmtp("starttls", cert), startSmtp("smtps", cert), startSmtp("plain", cert)]);
  });
  afterAll(() => {
    for (const child of children) child.kill("SIGTERM");
    rmSync(root, { recursive: true, force: true });
  });

  it("delivers a notification email over STARTTLS, authenticated only after the upgrade", async () => {
    const mail = mailSenderFromEnv(dataDir, env(relayUrl("smtp", starttls.port)));
    await mail.sendMail({ to: CLIENT, subject: "新的告警 / New alert", body: "有一条高风险告警需要处理。\nA high alert needs your attention." });
    const [received] = starttls.messages();
    expect(received).toMatchObject({ mailFrom: "no-reply@firm.cn", rcptTos: [CLIENT], tls: true, authenticatedAs: USER });
    expect(received!.tlsVersion).toMatch(/^TLSv1\.[23]$/);
    const { headers, body } = parseMessage(received!.data);
    expect(decodeWords(headers.get("subject")!)).toBe("新的告警 / New alert");
    expect(headers.get("to")).toBe(CLIENT);
    expect(decodeWords(headers.get("from")!)).toBe("Custodia <no-reply@firm.cn>");
    expect(body).toContain("有一条高风险告警需要处理。");
    // The password went over TLS only: STARTTLS first, then AUTH on the encrypted session.
    expect(starttls.commands()).toEqual([
      { command: "STARTTLS", tls: false, tlsVersion: null },
      { command: "AUTH", tls: true, tlsVersion: received!.tlsVersion },
    ]);
  });

  it("delivers a portal verification code by email over STARTTLS; phone codes still go to the outbox", async () => {
    const before = starttls.messages().length;
    const sender = senderFromEnv(dataDir, env(relayUrl("smtp", starttls.port)));
    await sender.send({ channel: "email", to: CLIENT, code: "482913", requestId: "req-1", language: "zh-CN" });
    const received = starttls.messages().slice(before);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ rcptTos: [CLIENT], tls: true, authenticatedAs: USER });
    const { headers, body } = parseMessage(received[0]!.data);
    expect(decodeWords(headers.get("subject")!)).toBe("您的验证码");
    expect(body).toContain("您的验证码为 482913");
    await sender.send({ channel: "phone", to: "13800138000", code: "111222", requestId: "req-2", language: "en" });
    expect(readFileSync(join(dataDir, "outbox.jsonl"), "utf8")).toContain("111222");
    expect(starttls.messages()).toHaveLength(before + 1);
  });

  it("refuses to send when the server offers no STARTTLS: nothing delivered, no AUTH in clear", async () => {
    const mail = mailSenderFromEnv(dataDir, env(relayUrl("smtp", plain.port)));
    const error = await mail.sendMail({ to: CLIENT, subject: "Complaint response", body: "Dear client, …" }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MailDeliveryError);
    expect((error as MailDeliveryError).code).toBe("ETLS");
    const codes = senderFromEnv(dataDir, env(relayUrl("smtp", plain.port)));
    await expect(codes.send({ channel: "email", to: CLIENT, code: "000111", requestId: "r", language: "en" })).rejects.toMatchObject({ code: "ETLS" });
    // No address, body or password travels in the error (callers log it).
    const text = `${(error as Error).message} ${JSON.stringify(error)} ${String((error as Error).stack)}`;
    for (const secret of [CLIENT, PASSWORD, "Dear client"]) expect(text).not.toContain(secret);
    expect(plain.messages()).toEqual([]);
    // The plain server advertises AUTH without TLS; the client never tried it.
    expect(plain.commands().filter((c) => c.command === "AUTH")).toEqual([]);
  });

  it("?tls=optional lets a loopback relay without STARTTLS through", async () => {
    const mail = mailSenderFromEnv(dataDir, env(`${relayUrl("smtp", plain.port)}?tls=optional`));
    await mail.sendMail({ to: CLIENT, subject: "Loopback", body: "Via the local relay." });
    expect(plain.messages()).toEqual([expect.objectContaining({ rcptTos: [CLIENT], tls: false, authenticatedAs: USER })]);
  });

  it("delivers over smtps:// (implicit TLS)", async () => {
    const mail = mailSenderFromEnv(dataDir, env(relayUrl("smtps", smtps.port)));
    await mail.sendMail({ to: CLIENT, subject: "Implicit TLS", body: "Sent over port-465 style TLS." });
    const [received] = smtps.messages();
    expect(received).toMatchObject({ rcptTos: [CLIENT], tls: true, authenticatedAs: USER });
    expect(parseMessage(received!.data).body).toContain("Sent over port-465 style TLS.");
    // TLS from the first byte: no STARTTLS command, and AUTH arrived on the encrypted socket.
    expect(smtps.commands()).toEqual([{ command: "AUTH", tls: true, tlsVersion: received!.tlsVersion }]);
  });

  it("signs with DKIM when configured, and the signature verifies", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const keyFile = join(root, "dkim.pem");
    writeFileSync(keyFile, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    const dkim = { CUSTODIA_DKIM_DOMAIN: "firm.cn", CUSTODIA_DKIM_SELECTOR: "custodia2025", CUSTODIA_DKIM_KEY_FILE: keyFile };
    const before = starttls.messages().length;
    await mailSenderFromEnv(dataDir, env(relayUrl("smtp", starttls.port), dkim)).sendMail({
      to: CLIENT,
      subject: "签名 Signed",
      body: "DKIM-signed notice.\n第二行",
    });
    const received = starttls.messages()[before]!;
    expect(received.data).toMatch(/^DKIM-Signature: /im);
    const result = dkimVerifies(received.data, publicKey.export({ type: "spki", format: "pem" }).toString());
    expect(result).toEqual({ d: "firm.cn", s: "custodia2025", bodyHashOk: true, signatureOk: true });
    // A message changed in transit no longer verifies: the check above can fail.
    const tampered = received.data.replace("DKIM-signed notice.", "DKIM-signed notice!");
    expect(dkimVerifies(tampered, publicKey.export({ type: "spki", format: "pem" }).toString()).bodyHashOk).toBe(false);
    // Without DKIM settings, no signature.
    await mailSenderFromEnv(dataDir, env(relayUrl("smtp", starttls.port))).sendMail({ to: CLIENT, subject: "Unsigned", body: "x" });
    expect(starttls.messages().at(-1)!.data).not.toMatch(/^DKIM-Signature: /im);
  });

  it("refuses a relay whose certificate is not from the trusted CA, over STARTTLS and smtps", async () => {
    const before = {
      starttls: starttls.messages().length,
      smtps: smtps.messages().length,
      auth: starttls.commands().filter((c) => c.command === "AUTH").length,
    };
    const wrongCa = { CUSTODIA_SMTP_CA_FILE: otherCa.cert };
    for (const url of [relayUrl("smtp", starttls.port), relayUrl("smtps", smtps.port)]) {
      await expect(mailSenderFromEnv(dataDir, env(url, wrongCa)).sendMail({ to: CLIENT, subject: "s", body: "b" })).rejects.toMatchObject({
        name: "MailDeliveryError",
        code: "ECERT",
      });
    }
    // With no CA file the system CAs apply, and a self-signed relay is refused as well.
    const systemCas = { CUSTODIA_SMTP_URL: relayUrl("smtp", starttls.port), CUSTODIA_SMTP_FROM: FROM };
    await expect(mailSenderFromEnv(dataDir, systemCas).sendMail({ to: CLIENT, subject: "s", body: "b" })).rejects.toMatchObject({
      code: "ECERT",
      detail: "DEPTH_ZERO_SELF_SIGNED_CERT",
    });
    expect(starttls.messages()).toHaveLength(before.starttls);
    expect(smtps.messages()).toHaveLength(before.smtps);
    expect(starttls.commands().filter((c) => c.command === "AUTH")).toHaveLength(before.auth);
  });

  it("a wrong password is EAUTH and the error does not carry it", async () => {
    const error = await mailSenderFromEnv(dataDir, env(relayUrl("smtp", starttls.port, "wrong-password")))
      .sendMail({ to: CLIENT, subject: "s", body: "b" })
      .then(
        () => null,
        (e: unknown) => e as MailDeliveryError,
      );
    expect(error).toMatchObject({ name: "MailDeliveryError", code: "EAUTH", responseCode: 535 });
    expect(`${error!.message} ${JSON.stringify(error)}`).not.toContain("wrong-password");
  });
});
