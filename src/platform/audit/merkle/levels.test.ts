import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { appendFrontier, appendSubtree, emptyFrontier, extendFrontier, frontierRoot, parseFrontier, rootWith, serializeFrontier } from "./frontier.js";
import { MerkleLevels } from "./levels.js";
import { inclusionProof, leafHash, treeRoot, verifyInclusion } from "./tree.js";

const leavesOf = (n: number, salt: number) => Array.from({ length: n }, (_, i) => leafHash(createHash("sha256").update(`${salt}/${i}`).digest()));
const hex = (bs: readonly Buffer[]) => bs.map((b) => b.toString("hex"));

describe("MerkleLevels and the frontier against the reference tree", () => {
  it("the frontier's root equals the reference root at every size, and survives a round trip", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer(), (n, salt) => {
        const leaves = leavesOf(n, salt);
        const frontier = emptyFrontier();
        for (let i = 0; i < n; i++) {
          extendFrontier(frontier, leaves[i]!);
          expect(frontierRoot(frontier).toString("hex")).toBe(treeRoot(leaves, i + 1).toString("hex"));
        }
        const again = parseFrontier(n, serializeFrontier(frontier));
        expect(frontierRoot(again)).toEqual(frontierRoot(frontier));
      }),
      { numRuns: 30 },
    );
  });

  it("a log checked in aligned chunks gives the reference root inside every chunk and after each", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 6 }), fc.integer(), (n, bits, salt) => {
        const leaves = leavesOf(n, salt);
        const chunkSize = 2 ** bits;
        const tree = emptyFrontier();
        for (let from = 0; from < n; from += chunkSize) {
          // What a verifying worker computes on its own: the chunk's frontier, and its fold partway.
          const chunk = emptyFrontier();
          for (let i = from; i < Math.min(from + chunkSize, n); i++) {
            extendFrontier(chunk, leaves[i]!);
            expect(rootWith(tree, frontierRoot(chunk)).toString("hex")).toBe(treeRoot(leaves, i + 1).toString("hex"));
          }
          appendFrontier(tree, chunk);
          expect(frontierRoot(tree).toString("hex")).toBe(treeRoot(leaves, tree.size).toString("hex"));
        }
        expect(tree.size).toBe(n);
      }),
      { numRuns: 60 },
    );
  });

  it("refuses a subtree that does not line up with the tree", () => {
    const frontier = emptyFrontier();
    for (const leaf of leavesOf(3, 3)) extendFrontier(frontier, leaf);
    expect(() => appendSubtree(frontier, leavesOf(1, 4)[0]!, 2)).toThrow(/does not align/);
  });

  it("refuses a stored frontier that cannot belong to the tree size", () => {
    const frontier = emptyFrontier();
    for (const leaf of leavesOf(6, 1)) extendFrontier(frontier, leaf); // 6 = 4 + 2: two subtrees
    expect(() => parseFrontier(7, serializeFrontier(frontier))).toThrow();
    expect(() => parseFrontier(6, `${serializeFrontier(frontier)},00`)).toThrow();
  });

  it("gives the reference root and audit path for any leaf of any prefix", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 200 })
          .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n })))
          .chain(([n, size]) => fc.tuple(fc.constant(n), fc.constant(size), fc.integer({ min: 0, max: size - 1 }))),
        fc.integer(),
        ([n, size, index], salt) => {
          const leaves = leavesOf(n, salt);
          const levels = new MerkleLevels(Buffer.concat(leaves));
          expect(levels.root(size)).toEqual(treeRoot(leaves, size));
          const path = levels.inclusionProof(index, size);
          expect(hex(path)).toEqual(hex(inclusionProof(leaves, index, size)));
          expect(verifyInclusion(leaves[index]!, index, size, path, treeRoot(leaves, size))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuses indexes and sizes outside the tree", () => {
    const levels = new MerkleLevels(Buffer.concat(leavesOf(5, 2)));
    expect(() => levels.inclusionProof(5, 5)).toThrow(RangeError);
    expect(() => levels.inclusionProof(0, 6)).toThrow(RangeError);
    expect(() => levels.root(0)).toThrow(RangeError);
    expect(() => new MerkleLevels(Buffer.alloc(33))).toThrow(RangeError);
  });
});
