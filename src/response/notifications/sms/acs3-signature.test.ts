import { describe, expect, it } from "vitest";
import { acs3PayloadHash, signAcs3 } from "./acs3-signature.js";

/**
 * The worked example of Alibaba Cloud's "V3版本请求体&签名机制" (签名示例), with its fixed
 * AccessKeyId/secret, date and nonce:
 * https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature
 * (English: https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature).
 */
const DOCUMENTED = {
  request: {
    method: "POST",
    path: "/",
    query: { ImageId: "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd", RegionId: "cn-shanghai" },
    headers: {
      host: "ecs.cn-shanghai.aliyuncs.com",
      "x-acs-action": "RunInstances",
      "x-acs-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "x-acs-date": "2023-10-26T10:22:32Z",
      "x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
      "x-acs-version": "2014-05-26",
    },
    body: "",
  },
  accessKeyId: "YourAccessKeyId",
  accessKeySecret: "YourAccessKeySecret",
  stringToSign: "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259",
  signature: "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
};

describe("Alibaba Cloud ACS3-HMAC-SHA256", () => {
  it("reproduces the documented example exactly", () => {
    const d = DOCUMENTED;
    const signed = signAcs3(d.request, d.accessKeyId, d.accessKeySecret);
    expect(acs3PayloadHash("")).toBe(d.request.headers["x-acs-content-sha256"]);
    expect(signed.canonicalRequest).toBe(
      [
        "POST",
        "/",
        "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
        "host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\nx-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nx-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2014-05-26\n",
        "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      ].join("\n"),
    );
    expect(signed.stringToSign).toBe(d.stringToSign);
    expect(signed.signature).toBe(d.signature);
    expect(signed.authorization).toBe(
      "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
    );
  });

  it("does not depend on the order headers and parameters are given in, nor on header-name case", () => {
    const d = DOCUMENTED;
    const reordered = {
      ...d.request,
      query: { RegionId: "cn-shanghai", ImageId: d.request.query.ImageId },
      headers: Object.fromEntries(
        Object.entries(d.request.headers)
          .reverse()
          .map(([k, v]) => [k.toUpperCase(), ` ${v} `]),
      ),
    };
    expect(signAcs3(reordered, d.accessKeyId, d.accessKeySecret).signature).toBe(d.signature);
  });

  it("changes with any signed part", () => {
    const d = DOCUMENTED;
    const variants = [
      { ...d.request, query: { ...d.request.query, RegionId: "cn-hangzhou" } },
      { ...d.request, headers: { ...d.request.headers, "x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703e" } },
      { ...d.request, body: "x" },
      { ...d.request, method: "GET" },
    ];
    for (const v of variants) expect(signAcs3(v, d.accessKeyId, d.accessKeySecret).signature).not.toBe(d.signature);
    expect(signAcs3(d.request, d.accessKeyId, "YourAccessKeySecreT").signature).not.toBe(d.signature);
  });
});
