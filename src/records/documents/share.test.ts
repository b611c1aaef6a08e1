import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseToken } from "../../platform/crypto/bearer.js";
import { newToken } from "../../platform/crypto/bearer.js";
import { RECIPIENT_KINDS, SHARE_LINK_TOKEN, type ShareDraft, shareStatusAt, validateShareDraft } from "./share.js";

const draft = (recipient: Partial<ShareDraft["recipient"]> = {}, rest: Partial<ShareDraft> = {}): ShareDraft => ({
  recipient: { kind: "court", name: "李审判员", organisation: "北京市朝阳区人民法院", email: "li@court.example.cn", ...recipient },
  ...rest,
});
const fields = (d: ShareDraft) => validateShareDraft(d).map((i) => `${i.field}:${i.code}`);

const printable = fc.string({ unit: fc.constantFrom(..."张三李四律师事务所 ABCabc-.'"), minLength: 1, maxLength: 100 }).filter((s) => s.trim().length > 0);
const local = fc.stringMatching(/^[a-z0-9._+-]{1,20}$/);
const domain = fc.stringMatching(/^[a-z0-9-]{1,20}\.[a-z]{2,6}$/);

describe("share drafts", () => {
  it("accepts any recipient with a name, an optional organisation and an address, within the limits", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...RECIPIENT_KINDS),
        printable,
        fc.option(printable, { nil: null }),
        local,
        domain,
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 20 }),
        (kind, name, organisation, user, host, days, downloads) => {
          expect(fields(draft({ kind, name, organisation, email: `${user}@${host}` }, { expiresInDays: days, maxDownloads: downloads }))).toEqual([]);
        },
      ),
    );
  });

  it("refuses control characters in names, and limits out of range", () => {
    fc.assert(
      fc.property(printable, fc.integer({ min: 0, max: 31 }), (name, c) => {
        const withControl = `${name}${String.fromCharCode(c)}x`;
        expect(fields(draft({ name: withControl }))).toContain("recipient.name:format");
        expect(fields(draft({ organisation: withControl }))).toContain("recipient.organisation:format");
      }),
    );
    fc.assert(
      fc.property(fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 31 })), fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 21 })), (days, downloads) => {
        expect(fields(draft({}, { expiresInDays: days, maxDownloads: downloads }))).toEqual(["expiresInDays:too_big", "maxDownloads:too_big"]);
      }),
    );
    expect(fields(draft({ name: "   " }))).toEqual(["recipient.name:format"]);
    expect(fields(draft({ kind: "journalist" as never }))).toEqual(["recipient.kind:invalid_value"]);
  });

  it("refuses what is not an email address", () => {
    for (const email of ["", "li", "li@court", "li@@court.cn", "li judge@court.cn", "@court.cn", "li@co\nurt.cn", `${"a".repeat(250)}@b.cn`])
      expect(fields(draft({ email }))).toEqual(["recipient.email:format"]);
    expect(fields(draft({ email: " Li.Judge@Court.Example.CN " }))).toEqual([]);
  });
});

describe("share states and links", () => {
  it("reads an open share past its expiry as expired, and keeps revoked, locked and exhausted", () => {
    const expires = "2026-03-04T03:00:00.000Z";
    fc.assert(
      fc.property(
        fc.constantFrom("pending", "active", "revoked", "locked", "exhausted"),
        fc.integer({ min: -10_000_000, max: 10_000_000 }),
        (status, offset) => {
          const now = new Date(Date.parse(expires) + offset);
          const got = shareStatusAt({ status, expires_at: expires }, now);
          if (status === "revoked" || status === "locked" || status === "exhausted") expect(got).toBe(status);
          else expect(got).toBe(offset >= 0 ? "expired" : status);
        },
      ),
    );
  });

  it("parses its own links and nothing else", () => {
    const { token, secret } = newToken(SHARE_LINK_TOKEN);
    expect(token).toMatch(/^cds_[A-Za-z0-9_-]{43}$/);
    expect(parseToken(token, SHARE_LINK_TOKEN)).toEqual({ id: "", secret });
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const parsed = parseToken(s, SHARE_LINK_TOKEN);
        if (parsed) expect(s).toBe(`cds_${parsed.secret}`);
      }),
    );
    expect(parseToken(`cds_${secret}x`, SHARE_LINK_TOKEN)).toBeNull();
    expect(parseToken(`crt_${secret}`, SHARE_LINK_TOKEN)).toBeNull();
  });
});
