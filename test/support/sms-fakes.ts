/**
 * Local stand-ins for Alibaba Cloud SMS and Tencent Cloud SMS. Each verifies the request signature
 * the way the provider documents it, written here again on purpose and kept apart from
 * src/response/notifications/sms/: a mistake on one side then shows as a rejected request instead
 * of agreeing with itself. Accepted messages are recorded; anything else is answered with the
 * provider's own error shape.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeSms {
  phone: string;
  signName: string;
  template: string;
  /** Alibaba: the TemplateParam object; Tencent: the TemplateParamSet array. */
  params: unknown;
}

export interface SmsFake {
  url: string;
  accepted: FakeSms[];
  /** Why requests were refused, in order (e.g. "signature"). */
  refused: string[];
  /** The next answers' provider error codes, used once each before accepting again. */
  failWith: string[];
  /** Accept the connection and never answer (timeouts). */
  hang: boolean;
  close(): Promise<void>;
}

const hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
// RFC 3986: everything but A–Z a–z 0–9 - _ . ~ as %XY of its UTF-8 bytes.
const rfc3986 = (s: string) =>
  Array.from(Buffer.from(s, "utf8"))
    .map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`))
    .join("");

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

async function start(handle: (req: IncomingMessage, body: string, fake: SmsFake) => { status: number; json: unknown }): Promise<SmsFake> {
  const fake: SmsFake = { url: "", accepted: [], refused: [], failWith: [], hang: false, close: async () => {} };
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    if (fake.hang) return;
    const { status, json } = handle(req, body, fake);
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(json));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return fake;
}

/** Alibaba Cloud Dysmsapi SendSms, ACS3-HMAC-SHA256 (V3) signatures; times within 15 minutes, nonces once. */
export function startAliyunFake(credentials: { accessKeyId: string; accessKeySecret: string }): Promise<SmsFake> {
  const nonces = new Set<string>();
  const refuse = (fake: SmsFake, why: string, code: string, status = 400) => {
    fake.refused.push(why);
    return { status, json: { Code: code, Message: "refused by the fake", RequestId: "fake" } };
  };
  return start((req, body, fake) => {
    const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(String(req.headers.authorization ?? ""));
    if (!auth) return refuse(fake, "authorization", "IncompleteSignature");
    const [, keyId, signedList, signature] = auth as unknown as [string, string, string, string];
    if (keyId !== credentials.accessKeyId) return refuse(fake, "access key", "InvalidAccessKeyId.NotFound", 404);
    const signed = signedList.split(";");
    for (const required of ["host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"]) {
      if (!signed.includes(required)) return refuse(fake, "signed headers", "IncompleteSignature");
    }
    if (req.headers["x-acs-content-sha256"] !== hex(body)) return refuse(fake, "body hash", "SignatureDoesNotMatch");
    const date = Date.parse(String(req.headers["x-acs-date"]));
    if (!(Math.abs(Date.now() - date) <= 15 * 60_000)) return refuse(fake, "time", "InvalidTimeStamp.Expired");
    const url = new URL(req.url ?? "/", "http://fake");
    const pairs = url.search
      .slice(1)
      .split("&")
      .filter(Boolean)
      .map((p) => p.split("=").map((x) => decodeURIComponent(x)) as [string, string]);
    const query = pairs
      .map(([k, v]) => [rfc3986(k), rfc3986(v ?? "")])
      .sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join("&");
    const headerLines = [...signed]
      .sort()
      .map((h) => `${h}:${String(req.headers[h] ?? "").trim()}\n`)
      .join("");
    const canonical = `${req.method}\n${url.pathname}\n${query}\n${headerLines}\n${signedList}\n${hex(body)}`;
    const expected = createHmac("sha256", credentials.accessKeySecret)
      .update(`ACS3-HMAC-SHA256\n${hex(canonical)}`)
      .digest("hex");
    if (!same(signature, expected)) return refuse(fake, "signature", "SignatureDoesNotMatch");
    const nonce = String(req.headers["x-acs-signature-nonce"]);
    if (nonces.has(nonce)) return refuse(fake, "nonce", "SignatureNonceUsed");
    nonces.add(nonce);
    if (req.headers["x-acs-action"] !== "SendSms" || req.headers["x-acs-version"] !== "2017-05-25")
      return refuse(fake, "action", "InvalidAction.NotFound", 404);
    const failure = fake.failWith.shift();
    if (failure) return { status: 200, json: { Code: failure, Message: "fake failure for 13800000000", RequestId: "fake" } };
    const p = Object.fromEntries(pairs);
    fake.accepted.push({
      phone: p.PhoneNumbers ?? "",
      signName: p.SignName ?? "",
      template: p.TemplateCode ?? "",
      params: JSON.parse(p.TemplateParam ?? "null"),
    });
    return { status: 200, json: { Code: "OK", Message: "OK", BizId: `biz-${fake.accepted.length}`, RequestId: "fake" } };
  });
}

/** Tencent Cloud SMS SendSms 2021-01-11, TC3-HMAC-SHA256; timestamps within 5 minutes. */
export function startTencentFake(credentials: { secretId: string; secretKey: string; sdkAppId: string }): Promise<SmsFake> {
  // Tencent answers 200 with Response.Error for every API error.
  const error = (fake: SmsFake, why: string, code: string) => {
    fake.refused.push(why);
    return { status: 200, json: { Response: { Error: { Code: code, Message: "refused by the fake" }, RequestId: "fake" } } };
  };
  return start((req, body, fake) => {
    const auth = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
      String(req.headers.authorization ?? ""),
    );
    if (!auth) return error(fake, "authorization", "AuthFailure.InvalidAuthorization");
    const [, id, date, service, signedList, signature] = auth as unknown as [string, string, string, string, string, string];
    if (id !== credentials.secretId) return error(fake, "secret id", "AuthFailure.SecretIdNotFound");
    const timestamp = Number(req.headers["x-tc-timestamp"]);
    if (!(Math.abs(Date.now() / 1000 - timestamp) <= 300)) return error(fake, "time", "AuthFailure.SignatureExpire");
    if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date || service !== "sms") return error(fake, "scope", "AuthFailure.SignatureFailure");
    const signed = signedList.split(";");
    if (!signed.includes("content-type") || !signed.includes("host")) return error(fake, "signed headers", "AuthFailure.SignatureFailure");
    const headerLines = signed
      .map(
        (h) =>
          `${h}:${String(req.headers[h] ?? "")
            .trim()
            .toLowerCase()}\n`,
      )
      .join("");
    const canonical = `POST\n/\n\n${headerLines}\n${signedList}\n${hex(body)}`;
    const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${hex(canonical)}`;
    let key: Buffer = createHmac("sha256", `TC3${credentials.secretKey}`).update(date).digest();
    for (const part of [service, "tc3_request"]) key = createHmac("sha256", key).update(part).digest();
    if (!same(signature, createHmac("sha256", key).update(toSign).digest("hex"))) return error(fake, "signature", "AuthFailure.SignatureFailure");
    if (req.headers["x-tc-action"] !== "SendSms" || req.headers["x-tc-version"] !== "2021-01-11") return error(fake, "action", "InvalidAction");
    const request = JSON.parse(body) as { PhoneNumberSet: string[]; SmsSdkAppId: string; SignName: string; TemplateId: string; TemplateParamSet: string[] };
    if (request.SmsSdkAppId !== credentials.sdkAppId) return error(fake, "app", "InvalidParameterValue.SdkAppIdNotExist");
    const phone = request.PhoneNumberSet[0] ?? "";
    const failure = fake.failWith.shift();
    if (failure)
      return {
        status: 200,
        json: { Response: { SendStatusSet: [{ SerialNo: "", PhoneNumber: phone, Code: failure, Message: `fake failure for ${phone}` }], RequestId: "fake" } },
      };
    fake.accepted.push({ phone, signName: request.SignName, template: request.TemplateId, params: request.TemplateParamSet });
    return {
      status: 200,
      json: { Response: { SendStatusSet: [{ SerialNo: `serial-${fake.accepted.length}`, PhoneNumber: phone, Code: "Ok", Fee: 1 }], RequestId: "fake" } },
    };
  });
}
