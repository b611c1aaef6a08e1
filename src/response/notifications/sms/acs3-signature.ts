/**
 * Alibaba Cloud request signature V3 (ACS3-HMAC-SHA256), as documented in "V3版本请求体&签名机制"
 * (https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature):
 *
 *   CanonicalRequest = Method \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HexSHA256(body)
 *   StringToSign     = "ACS3-HMAC-SHA256" \n HexSHA256(CanonicalRequest)
 *   Signature        = Hex(HMAC-SHA256(AccessKeySecret, StringToSign))
 *
 * Chosen over the RPC signature v1 (HMAC-SHA1): SHA-256 throughout, and the body is bound by its hash.
 * Signing a provider request is not a data-key operation, so it uses node:crypto directly.
 */
import { createHash, createHmac } from "node:crypto";
import { canonicalQuery } from "./percent-encoding.js";

export const ACS3_ALGORITHM = "ACS3-HMAC-SHA256";

export interface Acs3Request {
  method: string;
  /** The path; "/" for RPC-style APIs such as SendSms. */
  path: string;
  query: Readonly<Record<string, string>>;
  /** Every header to sign: host, x-acs-* (x-acs-content-sha256 included) and content-type when sent. */
  headers: Readonly<Record<string, string>>;
  body: string;
}

export interface Acs3Signed {
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  authorization: string;
}

const sha256Hex = (data: string) => createHash("sha256").update(data, "utf8").digest("hex");

export const acs3PayloadHash = sha256Hex;

export function signAcs3(request: Acs3Request, accessKeyId: string, accessKeySecret: string): Acs3Signed {
  const headers = Object.entries(request.headers)
    .map(([k, v]) => [k.toLowerCase(), v.trim()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signedHeaders = headers.map(([k]) => k).join(";");
  const canonicalRequest = [
    request.method.toUpperCase(),
    request.path,
    canonicalQuery(request.query),
    headers.map(([k, v]) => `${k}:${v}\n`).join(""),
    signedHeaders,
    sha256Hex(request.body),
  ].join("\n");
  const stringToSign = `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
  const signature = createHmac("sha256", accessKeySecret).update(stringToSign, "utf8").digest("hex");
  return {
    canonicalRequest,
    stringToSign,
    signature,
    authorization: `${ACS3_ALGORITHM} Credential=${accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`,
  };
}
