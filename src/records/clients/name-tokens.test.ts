import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  indexedPrefix,
  MAX_NAME_TOKENS,
  NAME_TOKEN_CLASSES,
  paddedTokenCount,
  nameMatches,
  namePrefixes,
  normaliseName,
  queryPrefixes,
  searchWordsOf,
  surnameOf,
  wordsOf,
} from "./name-tokens.js";

const han = fc.constantFrom(..."王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗欧阳司马诸葛上官娜修光亮明华伟芳".split(""));
const latin = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüÅ".split(""));
const hanWord = fc.array(han, { minLength: 1, maxLength: 8 }).map((c) => c.join(""));
const latinWord = fc.array(latin, { minLength: 1, maxLength: 12 }).map((c) => c.join(""));
const separator = fc.constantFrom(" ", "  ", "·", "-", ", ", "\u3000", "\t");
/** Names of one to three words (a Han person name also searches by its given name: a fourth word). */
const name = fc
  .tuple(fc.oneof(hanWord, latinWord), fc.array(fc.tuple(separator, fc.oneof(hanWord, latinWord)), { maxLength: 2 }))
  .map(([first, rest]) => first + rest.map(([s, w]) => s + w).join(""));
const kind = fc.constantFrom("person" as const, "organization" as const);

describe("name tokeniser", () => {
  it("normalisation is idempotent, whatever the text", () => {
    const idempotent = (s: string) => {
      expect(normaliseName(normaliseName(s))).toBe(normaliseName(s));
    };
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), idempotent), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: "binary" }), idempotent), { numRuns: 500 });
  });

  it("every indexable prefix of every word of a name finds it: its token is among the name's and the exact test passes", () => {
    fc.assert(
      fc.property(name, kind, fc.nat(), fc.nat(), (n, k, pickWord, pickLength) => {
        // A name whose prefixes reach the cap keeps only its first words' (the test below): not this property's case.
        fc.pre(namePrefixes(n, k).length < MAX_NAME_TOKENS);
        const words = searchWordsOf(n, k);
        const word = words[pickWord % words.length]!;
        const chars = Array.from(word);
        const length = 1 + (pickLength % chars.length);
        const prefix = chars.slice(0, length).join("");
        expect(nameMatches(n, k, prefix)).toBe(true);
        const looked = queryPrefixes(prefix);
        if (indexedPrefix(prefix) === null)
          expect(looked).toEqual([]); // one Latin letter: too short to look up
        else for (const p of looked) expect(namePrefixes(n, k)).toContain(p);
      }),
    );
  });

  it("the same name typed differently (case, full-width, spacing) has the same tokens", () => {
    fc.assert(
      fc.property(name, kind, (n, k) => {
        const variant = ` ${n.toUpperCase().normalize("NFKD")}  `;
        expect(namePrefixes(variant, k)).toEqual(namePrefixes(n, k));
      }),
    );
    expect(namePrefixes("ＬＩ　Ｗｅｉ")).toEqual(namePrefixes("li wei"));
  });

  it("caps the tokens of a long name and keeps the first words' prefixes", () => {
    fc.assert(
      fc.property(fc.array(latinWord, { minLength: 1, maxLength: 12 }), (ws) => {
        const tokens = namePrefixes(ws.join(" "));
        expect(tokens.length).toBeLessThanOrEqual(MAX_NAME_TOKENS);
        expect(new Set(tokens).size).toBe(tokens.length);
      }),
    );
  });

  it("knows compound surnames, and indexes a Chinese person's given name but not an organisation's remainder", () => {
    expect(surnameOf("欧阳娜娜")).toBe("欧阳");
    expect(surnameOf("欧阳")).toBe("欧"); // two characters: surname 欧, given name 阳
    expect(surnameOf("王小明")).toBe("王");
    expect(searchWordsOf("欧阳娜娜")).toEqual(["欧阳娜娜", "娜娜"]);
    expect(searchWordsOf("北京星河科技", "organization")).toEqual(["北京星河科技"]);
    expect(namePrefixes("张三丰")).toEqual(["张", "张三", "张三丰", "三", "三丰"]);
    expect(namePrefixes("Li Wei-Ming")).toEqual(["li", "we", "wei", "mi", "min", "ming"]);
    expect(wordsOf(normaliseName("阿卜杜·热合曼"))).toEqual(["阿卜杜", "热合曼"]);
    expect(nameMatches("Li Wei-Ming", "person", "ming wei")).toBe(true);
    expect(nameMatches("Li Wei-Ming", "person", "wein")).toBe(false);
    expect(queryPrefixes("x")).toEqual([]);
  });
});

describe("padded token count", () => {
  it("is the smallest class that holds the real prefixes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_NAME_TOKENS }), (real) => {
        const padded = paddedTokenCount(real);
        expect(NAME_TOKEN_CLASSES).toContain(padded);
        expect(padded).toBeGreaterThanOrEqual(real);
        expect(NAME_TOKEN_CLASSES.filter((c) => c >= real && c < padded)).toEqual([]);
      }),
    );
  });
});
