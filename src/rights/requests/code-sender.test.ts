import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DevOutboxSender, SmtpEmailSender, smtpOptionsFromUrl } from "./code-sender.js";

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

  it("the SMTP sender speaks EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT to a relay", async () => {
    const received: string[] = [];
    const server = createServer((socket) => {
      socket.setEncoding("utf8");
      socket.write("220 fake ESMTP\r\n");
      let inData = false;
      let buffer = "";
      socket.on("data", (chunk: string) => {
        buffer += chunk;
        let i: number;
        while ((i = buffer.indexOf("\r\n")) >= 0) {
          const line = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          received.push(line);
          if (inData) {
            if (line === ".") {
              inData = false;
              socket.write("250 queued\r\n");
            }
            continue;
          }
          if (line.startsWith("EHLO")) socket.write("250-fake\r\n250 AUTH PLAIN\r\n");
          else if (line.startsWith("AUTH")) socket.write("235 ok\r\n");
          else if (line.startsWith("MAIL") || line.startsWith("RCPT")) socket.write("250 ok\r\n");
          else if (line === "DATA") {
            inData = true;
            socket.write("354 go\r\n");
          } else if (line === "QUIT") socket.end("221 bye\r\n");
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const { port } = server.address() as { port: number };
    try {
      const options = smtpOptionsFromUrl(`smtp://mailer:s3cret@127.0.0.1:${port}`, "no-reply@firm.cn");
      await new SmtpEmailSender(options).send({ channel: "email", to: "client@example.cn", code: "246810", requestId: "r", language: "en" });
      expect(received).toContain("MAIL FROM:<no-reply@firm.cn>");
      expect(received).toContain("RCPT TO:<client@example.cn>");
      expect(received).toContain(`AUTH PLAIN ${Buffer.from("\u0000mailer\u0000s3cret").toString("base64")}`);
      const body = received.slice(received.indexOf("") + 1, received.indexOf(".")).join("");
      expect(Buffer.from(body, "base64").toString("utf8")).toContain("246810");
      await expect(new SmtpEmailSender(options).send({ channel: "phone", to: "1", code: "1", requestId: "r", language: "en" })).rejects.toThrow();
    } finally {
      server.close();
    }
  });
});
