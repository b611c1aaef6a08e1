import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../platform/config.js";
import { DevOutboxSender, EmailCodeSender, type MailMessage, senderFromEnv } from "./code-sender.js";

describe("code senders", () => {
  it("the dev sender appends one owner-only JSON line per message", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "custodia-outbox-")), "outbox.jsonl");
    const sender = new DevOutboxSender(file);
    await sender.send({ channel: "email", to: "a@example.cn", code: "123456", requestId: "r1", language: "en" });
    await sender.send({ channel: "phone", to: "13900000000", code: "654321", requestId: "r2", language: "zh-CN" });
    const lines = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.requestId, l.code])).toEqual([
      ["r1", "123456"],
      ["r2", "654321"],
    ]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("the email sender hands the code to the mail relay and refuses phone codes", async () => {
    const sent: MailMessage[] = [];
    const sender = new EmailCodeSender({ sendMail: async (m) => void sent.push(m) });
    await sender.send({ channel: "email", to: "client@example.cn", code: "246810", requestId: "r", language: "en" });
    expect(sent).toEqual([{ to: "client@example.cn", subject: "Your verification code", body: expect.stringContaining("246810") }]);
    await expect(sender.send({ channel: "phone", to: "1", code: "1", requestId: "r", language: "en" })).rejects.toThrow();
    expect(sent).toHaveLength(1);
  });

  it("without CUSTODIA_SMTP_URL codes go to the dev outbox; a wrong mail setting refuses to start", async () => {
    const dir = mkdtempSync(join(tmpdir(), "custodia-outbox-"));
    await senderFromEnv(dir, {}).send({ channel: "email", to: "a@example.cn", code: "135790", requestId: "r3", language: "en" });
    expect(readFileSync(join(dir, "outbox.jsonl"), "utf8")).toContain("135790");
    expect(() => senderFromEnv(dir, { CUSTODIA_SMTP_URL: "smtp://relay.example.cn:587" })).toThrow(ConfigError);
  });
});
