/**
 * Tencent Cloud API signature v3 (TC3-HMAC-SHA256), as documented in "签名方法 v3" / "Signature v3"
 * (https://cloud.tencent.com/document/api/213/30654, https://www.tencentcloud.com/document/api/213/33224):
 *
 *   CanonicalRequest = Method \n "/" \n Query \n CanonicalHeaders \n SignedHeaders \n HexSHA256(payload)
 *   StringToSign     = "TC3-HMAC-SHA256" \n Timestamp \n Date/service/tc3_request \n HexSHA256(CanonicalRequest)
 *   SecretSigning    = HMAC(HMAC(HMAC("TC3" + SecretKey, Date), service), "tc3_request")
 *   Signature        = Hex(HMAC-SHA256(SecretSigning, StringToSign))
 *
 * Date is the UTC date of the timestamp: a local date fails every night around midnight.
 */
import { createHash, createHmac } from "node:crypto";

export const TC3_ALGORITHM = "TC3-HMAC-SHA256";

export interface Tc3Request {
  method: string;
  /** Empty for POST. */
  query: string;
  /** Every header to sign: at least content-type and host. Names and values are lower-cased. */
  headers: Readonly<Record<string, string>>;
  payload: string;
  service: string;
  /** Unix seconds, the X-TC-Timestamp header. */
  timestamp: number;
}

export interface Tc3Signed {
  canonicalRequest: string;
  stringToSign: string;
  credentialScope: string;
  signature: string;
  authorization: string;
}

const sha256Hex = (data: string) => createHash("sha256").update(data, "utf8").digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data, "utf8").digest();

export const utcDate = (timestamp: number) => new Date(timestamp * 1000).toISOString().slice(0, 10);

export function signTc3(request: Tc3Request, secretId: string, secretKey: string): Tc3Signed {
  const headers = Object.entries(request.headers)
    .map(([k, v]) => [k.trim().toLowerCase(), v.trim().toLowerCase()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signedHeaders = headers.map(([k]) => k).join(";");
  const canonicalRequest = [
    request.method.toUpperCase(),
    "/",
    request.query,
    headers.map(([k, v]) => `${k}:${v}\n`).join(""),
    signedHeaders,
    sha256Hex(request.payload),
  ].join("\n");
  const date = utcDate(request.timestamp);
  const credentialScope = `${date}/${request.service}/tc3_request`;
  const stringToSign = `${TC3_ALGORITHM}\n${request.timestamp}\n${credentialScope}\n${sha256Hex(canonicalRequest)}`;
  const secretSigning = hmac(hmac(hmac(`TC3${secretKey}`, date), request.service), "tc3_request");
  const signature = createHmac("sha256", secretSigning).update(stringToSign, "utf8").digest("hex");
  return {
    canonicalRequest,
    stringToSign,
    credentialScope,
    signature,
    authorization: `${TC3_ALGORITHM} Credential=${secretId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}
