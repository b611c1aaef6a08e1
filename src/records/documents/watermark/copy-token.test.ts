import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { COPY_ID_BYTES, encodeCopyToken, findCopyTokens, TAGGED_BYTES, taggedCopyId, untagCopyId } from "./copy-token.js";

const copyIds = fc.uint8Array({ minLength: COPY_ID_BYTES, maxLength: COPY_ID_BYTES }).map((bytes) => Buffer.from(bytes));

describe("copy tokens", () => {
  it("round-trip any 16-byte id, as CSTD- and 32 base32 letters", () => {
    fc.assert(
      fc.property(copyIds, (copyId) => {
        const token = encodeCopyToken(copyId);
        expect(token).toMatch(/^CSTD-[A-Z2-7]{32}$/);
        expect(findCopyTokens(`前文 ${token} 后文`)).toEqual([copyId]);
        expect(untagCopyId(taggedCopyId(copyId))).toEqual(copyId);
      }),
    );
  });

  it("survive what extractors do to text: whitespace between letters, lower case, neighbours glued on", () => {
    const copyId = Buffer.from("00112233445566778899aabbccddeeff", "hex");
    const token = encodeCopyToken(copyId);
    const spaced = `${token.slice(0, 12)} \n${token.slice(12, 20)}  ${token.slice(20)}`;
    expect(findCopyTokens(spaced)).toEqual([copyId]);
    expect(findCopyTokens(token.toLowerCase())).toEqual([copyId]);
    expect(findCopyTokens(`XYZ${token}ABC`)).toEqual([copyId]);
    // Two copies, one of them twice: each distinct id once, in order.
    const other = Buffer.alloc(16, 7);
    expect(findCopyTokens(`${token} ${encodeCopyToken(other)} ${token}`)).toEqual([copyId, other]);
  });

  it("reject any token with one letter changed (the checksum)", () => {
    fc.assert(
      fc.property(copyIds, fc.nat(31), fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), (copyId, at, letter) => {
        const token = encodeCopyToken(copyId);
        const i = 5 + at;
        fc.pre(token[i] !== letter);
        expect(findCopyTokens(token.slice(0, i) + letter + token.slice(i + 1))).toEqual([]);
      }),
    );
  });

  it("find nothing in arbitrary text, even text built from the token alphabet", () => {
    fc.assert(
      fc.property(fc.string(), fc.stringMatching(/^[A-Z2-7]{32}$/), (text, letters) => {
        expect(findCopyTokens(text)).toEqual([]);
        expect(findCopyTokens(`CSTD-${letters}`)).toEqual([]);
      }),
    );
  });

  it("refuse ids that are not 16 bytes and tagged ids of the wrong length", () => {
    expect(() => encodeCopyToken(Buffer.alloc(15))).toThrow(RangeError);
    expect(() => taggedCopyId(Buffer.alloc(17))).toThrow(RangeError);
    expect(untagCopyId(Buffer.alloc(TAGGED_BYTES - 1))).toBeNull();
    expect(untagCopyId(Buffer.alloc(TAGGED_BYTES))).toBeNull();
  });
});
