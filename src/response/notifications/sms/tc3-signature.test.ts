import { describe, expect, it } from "vitest";
import { signTc3, utcDate } from "./tc3-signature.js";

/**
 * The worked example of Tencent Cloud's "Signature v3" page (CVM DescribeInstances, timestamp
 * 1551113065), whose step 3 prints the SecretKey Gu5t9xGARNpq86cd98joQYCN3EXAMPLE and publishes
 * every intermediate value: https://www.tencentcloud.com/document/api/213/33224 (the same example
 * as 签名方法 v3, https://cloud.tencent.com/document/api/213/30654, where the key is now masked).
 */
const DOCUMENTED = {
  secretId: "AKID**********************0123456789EXAMPLE",
  secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
  payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
  timestamp: 1551113065,
  canonicalRequest:
    "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064",
  stringToSign: "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031",
  authorization:
    "TC3-HMAC-SHA256 Credential=AKID**********************0123456789EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
};

const sign = (over: Partial<Parameters<typeof signTc3>[0]> = {}, secretKey = DOCUMENTED.secretKey) =>
  signTc3(
    {
      method: "POST",
      query: "",
      headers: { "Content-Type": "application/json; charset=utf-8", Host: "cvm.tencentcloudapi.com" },
      payload: DOCUMENTED.payload,
      service: "cvm",
      timestamp: DOCUMENTED.timestamp,
      ...over,
    },
    DOCUMENTED.secretId,
    secretKey,
  );

describe("Tencent Cloud TC3-HMAC-SHA256", () => {
  it("reproduces the documented example exactly", () => {
    const signed = sign();
    expect(signed.canonicalRequest).toBe(DOCUMENTED.canonicalRequest);
    expect(signed.stringToSign).toBe(DOCUMENTED.stringToSign);
    expect(signed.signature).toBe("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
    expect(signed.authorization).toBe(DOCUMENTED.authorization);
  });

  it("dates the credential scope in UTC, as the documentation warns (UTC+8 is already 2019-02-26)", () => {
    expect(utcDate(1551113065)).toBe("2019-02-25");
    expect(sign().credentialScope).toBe("2019-02-25/cvm/tc3_request");
  });

  it("changes with any signed part", () => {
    const base = sign().signature;
    expect(sign({ payload: DOCUMENTED.payload.replace("1", "2") }).signature).not.toBe(base);
    expect(sign({ timestamp: DOCUMENTED.timestamp + 1 }).signature).not.toBe(base);
    expect(sign({ service: "sms" }).signature).not.toBe(base);
    expect(
      sign({ headers: { "content-type": "application/json; charset=utf-8", host: "cvm.tencentcloudapi.com", "x-tc-action": "describeinstances" } }).signature,
    ).not.toBe(base);
    expect(sign({}, "Gu5t9xGARNpq86cd98joQYCN3EXAMPLf").signature).not.toBe(base);
  });
});
