import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { consistencyProof, EMPTY_ROOT, inclusionProof, leafHash, nodeHash, treeRoot, verifyConsistency, verifyInclusion } from "./tree.js";

/*
 * Published RFC 6962 vectors (originally Google's CT C++ tests), as kept by transparency-dev/merkle:
 * testonly/constants.go (leaves, leaf hashes, roots), proof/verify_test.go before the move to JSON and
 * testdata/{inclusion,consistency}/<n>/happy-path.json (audit paths, consistency proofs).
 */
const LEAF_INPUTS = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map((h) => Buffer.from(h, "hex"));
const LEAF_HASHES = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
  "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
  "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
  "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
  "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
  "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
];
/** Roots of the trees of the first 1..8 leaves. */
const ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
const INCLUSION: { index: number; size: number; path: string[] }[] = [
  { index: 0, size: 1, path: [] },
  {
    index: 0,
    size: 8,
    path: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    index: 5,
    size: 8,
    path: [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  { index: 2, size: 3, path: ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
  {
    index: 1,
    size: 5,
    path: [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
];
const CONSISTENCY: { oldSize: number; newSize: number; proof: string[] }[] = [
  { oldSize: 1, newSize: 1, proof: [] },
  {
    oldSize: 1,
    newSize: 8,
    proof: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    oldSize: 6,
    newSize: 8,
    proof: [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  {
    oldSize: 2,
    newSize: 5,
    proof: ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"],
  },
  {
    oldSize: 6,
    newSize: 7,
    proof: [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
];

const hex = (hashes: readonly Buffer[]) => hashes.map((h) => h.toString("hex"));
const unhex = (hashes: readonly string[]) => hashes.map((h) => Buffer.from(h, "hex"));
const leaves = LEAF_INPUTS.map(leafHash);
const root = (size: number) => Buffer.from(ROOTS[size - 1]!, "hex");

describe("RFC 6962 published vectors", () => {
  it("hashes the empty tree to SHA-256 of nothing", () => {
    expect(EMPTY_ROOT.toString("hex")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(treeRoot([])).toEqual(EMPTY_ROOT);
    expect(treeRoot(leaves, 0)).toEqual(EMPTY_ROOT);
  });

  it("hashes the leaves with the 0x00 prefix", () => {
    expect(hex(leaves)).toEqual(LEAF_HASHES);
  });

  it("computes the roots of sizes 1 to 8", () => {
    for (let size = 1; size <= 8; size++) expect(treeRoot(leaves, size).toString("hex"), `size ${size}`).toBe(ROOTS[size - 1]);
    expect(treeRoot(leaves.slice(0, 5)).toString("hex")).toBe(ROOTS[4]);
  });

  it.each(INCLUSION)("audit path for leaf $index of $size", ({ index, size, path }) => {
    expect(hex(inclusionProof(leaves, index, size))).toEqual(path);
    expect(verifyInclusion(leaves[index]!, index, size, unhex(path), root(size))).toBe(true);
  });

  it.each(CONSISTENCY)("consistency proof from $oldSize to $newSize", ({ oldSize, newSize, proof }) => {
    expect(hex(consistencyProof(leaves, oldSize, newSize))).toEqual(proof);
    expect(verifyConsistency(oldSize, newSize, root(oldSize), root(newSize), unhex(proof))).toBe(true);
  });

  it("rejects the published edge cases of consistency", () => {
    // From testdata/consistency/additional: an empty old tree proves nothing, even against itself.
    expect(verifyConsistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])).toBe(false);
    expect(verifyConsistency(0, 1, EMPTY_ROOT, root(1), [])).toBe(false);
    expect(verifyConsistency(1, 1, root(1), root(1), [EMPTY_ROOT])).toBe(false);
    expect(verifyConsistency(1, 1, root(1), root(2), [])).toBe(false);
    expect(verifyConsistency(1, 2, root(1), root(2), [])).toBe(false);
    expect(verifyConsistency(2, 1, root(2), root(1), [])).toBe(false);
  });

  it("refuses to build proofs outside the tree", () => {
    expect(() => inclusionProof(leaves, 8, 8)).toThrow(RangeError);
    expect(() => inclusionProof(leaves, -1, 8)).toThrow(RangeError);
    expect(() => inclusionProof(leaves, 0, 9)).toThrow(RangeError);
    expect(() => inclusionProof(leaves, 0.5, 8)).toThrow(RangeError);
    expect(() => consistencyProof(leaves, 0, 8)).toThrow(RangeError);
    expect(() => consistencyProof(leaves, 5, 4)).toThrow(RangeError);
    expect(() => consistencyProof(leaves, 4, 9)).toThrow(RangeError);
    expect(() => treeRoot(leaves, 9)).toThrow(RangeError);
    expect(consistencyProof(leaves, 3, 3)).toEqual([]);
  });
});

/** RFC 6962 §2.1 MTH written as its recursive definition, to check the iterative code against. */
function referenceRoot(hashes: readonly Buffer[]): Buffer {
  if (hashes.length === 0) return createHash("sha256").digest();
  if (hashes.length === 1) return hashes[0]!;
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  const [left, right] = [referenceRoot(hashes.slice(0, k)), referenceRoot(hashes.slice(k))];
  return createHash("sha256").update(Buffer.of(1)).update(left).update(right).digest();
}

describe("Merkle proofs (properties)", () => {
  const MAX = 300;
  const many = Array.from({ length: MAX }, (_, i) => leafHash(Buffer.from(`event ${i}`)));
  const roots = Array.from({ length: MAX + 1 }, (_, n) => referenceRoot(many.slice(0, n)));
  const flip = (bytes: Uint8Array, at: number, bit: number) => {
    const copy = Buffer.from(bytes);
    copy[at % copy.length]! ^= 1 << bit;
    return copy;
  };
  const sizeAndIndex = fc.integer({ min: 1, max: MAX }).chain((size) => fc.tuple(fc.constant(size), fc.nat(size - 1)));
  const sizePair = fc.integer({ min: 1, max: MAX }).chain((newSize) => fc.tuple(fc.integer({ min: 1, max: newSize }), fc.constant(newSize)));

  it("treeRoot matches the recursive definition", () => {
    for (let n = 0; n <= MAX; n++) expect(treeRoot(many, n)).toEqual(roots[n]);
  });

  it("treeRoot splits a million leaves at the largest power of two below", () => {
    const big = Array.from({ length: 1_000_000 }, (_, i) => many[i % MAX]!);
    expect(treeRoot(big)).toEqual(nodeHash(treeRoot(big.slice(0, 2 ** 19)), treeRoot(big.slice(2 ** 19))));
  });

  it("generated audit paths verify, and nothing else does", () => {
    fc.assert(
      fc.property(sizeAndIndex, fc.nat(), fc.nat(), fc.nat(7), fc.nat(MAX - 1), ([size, index], which, at, bit, other) => {
        const proof = inclusionProof(many, index, size);
        const leaf = many[index]!;
        expect(verifyInclusion(leaf, index, size, proof, roots[size]!)).toBe(true);
        expect(verifyInclusion(flip(leaf, at, bit), index, size, proof, roots[size]!)).toBe(false);
        expect(verifyInclusion(leaf, index, size, proof, flip(roots[size]!, at, bit))).toBe(false);
        if (proof.length > 0) {
          const bad = proof.map((p, i) => (i === which % proof.length ? flip(p, at, bit) : p));
          expect(verifyInclusion(leaf, index, size, bad, roots[size]!)).toBe(false);
          expect(verifyInclusion(leaf, index, size, proof.slice(1), roots[size]!)).toBe(false);
        }
        expect(verifyInclusion(leaf, index, size, [...proof, leaf], roots[size]!)).toBe(false);
        const otherIndex = other % size;
        if (otherIndex !== index) expect(verifyInclusion(leaf, otherIndex, size, proof, roots[size]!)).toBe(false);
        // Another size, checked against that size's root: the old path must not carry over.
        const otherSize = 1 + (other % MAX);
        if (otherSize !== size && index < otherSize) expect(verifyInclusion(leaf, index, otherSize, proof, roots[otherSize]!)).toBe(false);
      }),
    );
  });

  it("generated consistency proofs verify, and nothing else does", () => {
    fc.assert(
      fc.property(sizePair, fc.nat(), fc.nat(), fc.nat(7), fc.nat(MAX - 1), ([oldSize, newSize], which, at, bit, other) => {
        const proof = consistencyProof(many, oldSize, newSize);
        const [oldRoot, newRoot] = [roots[oldSize]!, roots[newSize]!];
        expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof)).toBe(true);
        expect(verifyConsistency(oldSize, newSize, flip(oldRoot, at, bit), newRoot, proof)).toBe(false);
        expect(verifyConsistency(oldSize, newSize, oldRoot, flip(newRoot, at, bit), proof)).toBe(false);
        if (proof.length > 0) {
          const bad = proof.map((p, i) => (i === which % proof.length ? flip(p, at, bit) : p));
          expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, bad)).toBe(false);
          expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof.slice(1))).toBe(false);
        }
        expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, [...proof, oldRoot])).toBe(false);
        const otherOld = 1 + (other % newSize);
        if (otherOld !== oldSize) expect(verifyConsistency(otherOld, newSize, roots[otherOld]!, newRoot, proof)).toBe(false);
        const otherNew = oldSize + (other % (MAX - oldSize + 1));
        if (otherNew !== newSize) expect(verifyConsistency(oldSize, otherNew, oldRoot, roots[otherNew]!, proof)).toBe(false);
      }),
    );
  });

  it("verification never throws on junk", () => {
    const junk = fc.oneof(fc.anything(), fc.uint8Array({ maxLength: 40 }), fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 70 }));
    fc.assert(
      fc.property(junk, junk, junk, junk, junk, (a, b, c, d, e) => {
        expect(typeof verifyInclusion(...([a, b, c, d, e] as unknown as Parameters<typeof verifyInclusion>))).toBe("boolean");
        expect(typeof verifyConsistency(...([a, b, c, d, e] as unknown as Parameters<typeof verifyConsistency>))).toBe("boolean");
      }),
    );
    fc.assert(
      fc.property(fc.nat(2 ** 40), fc.nat(2 ** 40), fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 64 }), (x, y, proof) => {
        expect(verifyInclusion(many[0]!, Math.min(x, y), Math.max(x, y), proof, roots[2]!)).toBe(false);
        expect(verifyConsistency(Math.min(x, y) + 1, Math.max(x, y) + 2, roots[1]!, roots[2]!, proof)).toBe(false);
      }),
    );
  });
});
