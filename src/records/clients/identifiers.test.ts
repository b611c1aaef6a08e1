import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { GROWTH_FACTOR, growthRatio } from "../../../test/support/growth.js";
import {
  RESIDENT_ID_REGIONS,
  residentIdCheckChar,
  usccCheckChar,
  validateBirthDate,
  validateEmail,
  validatePassport,
  validatePhone,
  validateResidentId,
  validateUscc,
  type IdentifierCheck,
} from "./identifiers.js";

const RID_CHARS = "0123456789X";
const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

// Builds a full resident ID with a correct check character.
const rid = (body17: string): string => body17 + residentIdCheckChar(body17);

const pad = (n: number, width: number): string => String(n).padStart(width, "0");
const compactDate = (d: Date): string => `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`;
const isoDate = (d: Date): string => `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
const tomorrowUtc = (): Date => new Date(Date.now() + 86_400_000);

describe("residentIdCheckChar", () => {
  it("computes the ISO 7064 MOD 11-2 character", () => {
    expect(residentIdCheckChar("11010519491231002")).toBe("X");
  });

  it("throws on programmer errors", () => {
    expect(() => residentIdCheckChar("1101051949123100")).toThrow(TypeError);
    expect(() => residentIdCheckChar("1101051949123100A")).toThrow(TypeError);
  });
});

describe("validateResidentId", () => {
  it("accepts a known-good number", () => {
    expect(validateResidentId("11010519491231002X")).toEqual({ ok: true, value: "11010519491231002X" });
  });

  it("agrees with an independent oracle for every possible check character", () => {
    // Computed separately with weights 2^(17-i) mod 11; covers all 11 check values.
    const known = [
      "110105195302275495",
      "110105195304025713",
      "110105195509140619",
      "11010519560619060X",
      "110105196411215971",
      "110105197003136670",
      "110105197707032474",
      "110105198204020898",
      "110105199004121007",
      "110105199202027492",
      "110105200403104306",
    ];
    expect(new Set(known.map((id) => id[17])).size).toBe(11);
    for (const id of known) {
      expect(residentIdCheckChar(id.slice(0, 17))).toBe(id[17]);
      expect(validateResidentId(id)).toEqual({ ok: true, value: id });
    }
  });

  it("normalises lower-case x and surrounding whitespace", () => {
    expect(validateResidentId(" 11010519491231002x ")).toEqual({ ok: true, value: "11010519491231002X" });
  });

  it("rejects a wrong check digit", () => {
    expect(validateResidentId("110105194912310021")).toEqual({ ok: false, issue: "check_digit" });
  });

  it("rejects wrong length, characters and legacy 15-digit numbers as format", () => {
    for (const bad of ["", "11010519491231002", "11010519491231002XX", "110105491231002", "1101051949123100X2", "11010519491231002Y"]) {
      expect(validateResidentId(bad)).toEqual({ ok: false, issue: "format" });
    }
  });

  it("rejects region first digits 0 and 9 but accepts HK/Macau/Taiwan permits", () => {
    expect(validateResidentId(rid("01010519491231002"))).toEqual({ ok: false, issue: "region" });
    expect(validateResidentId(rid("91010519491231002"))).toEqual({ ok: false, issue: "region" });
    for (const prefix of ["810000", "820000", "830000"]) {
      expect(validateResidentId(rid(`${prefix}19800101001`)).ok).toBe(true);
    }
  });

  it("checks Feb 29 against leap years", () => {
    expect(validateResidentId(rid("11010520000229001")).ok).toBe(true); // 2000 is leap
    expect(validateResidentId(rid("11010519960229001")).ok).toBe(true);
    expect(validateResidentId(rid("11010519000229001"))).toEqual({ ok: false, issue: "birth_date" }); // 1900 is not
    expect(validateResidentId(rid("11010520230229001"))).toEqual({ ok: false, issue: "birth_date" });
  });

  it("rejects impossible, pre-1900 and future birth dates even with a correct check char", () => {
    for (const date of ["19801301", "19800431", "19800100", "18991231", compactDate(tomorrowUtc()), "29990101"]) {
      expect(validateResidentId(rid(`110105${date}001`))).toEqual({ ok: false, issue: "birth_date" });
    }
    expect(validateResidentId(rid("11010519000101001")).ok).toBe(true);
  });

  it("property: a correct check char validates, every other one fails with check_digit", () => {
    const body = fc
      .tuple(
        fc.constantFrom(...RESIDENT_ID_REGIONS),
        fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date(), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
      )
      .map(([region, date, seq]) => `${region}${compactDate(date)}${pad(seq, 3)}`);
    fc.assert(
      fc.property(body, (b) => {
        const check = residentIdCheckChar(b);
        expect(validateResidentId(b + check)).toEqual({ ok: true, value: b + check });
        for (const other of RID_CHARS) {
          if (other === check) continue;
          expect(validateResidentId(b + other)).toEqual({ ok: false, issue: "check_digit" });
        }
      }),
    );
  });
});

describe("USCC", () => {
  it("accepts a known-good code and normalises case and whitespace", () => {
    expect(validateUscc("91350100M000100Y43")).toEqual({ ok: true, value: "91350100M000100Y43" });
    expect(validateUscc("  91350100m000100y43\n")).toEqual({ ok: true, value: "91350100M000100Y43" });
    expect(usccCheckChar("91350100M000100Y4")).toBe("3");
  });

  it("rejects mutated codes", () => {
    expect(validateUscc("91350100M000100Y44")).toEqual({ ok: false, issue: "check_digit" });
    expect(validateUscc("91350100M000200Y43")).toEqual({ ok: false, issue: "check_digit" });
    expect(validateUscc("91350100I000100Y43")).toEqual({ ok: false, issue: "format" }); // I is not in the alphabet
    expect(validateUscc("91350100M000100Y4")).toEqual({ ok: false, issue: "format" });
  });

  it("usccCheckChar throws on bad input", () => {
    expect(() => usccCheckChar("91350100M000100Y")).toThrow(TypeError);
    expect(() => usccCheckChar("91350100O000100Y4")).toThrow(TypeError);
  });

  it("property: a correct check char validates, every other alphabet char fails with check_digit", () => {
    const body = fc.string({ unit: fc.constantFrom(...USCC_ALPHABET), minLength: 17, maxLength: 17 });
    fc.assert(
      fc.property(body, (b) => {
        const check = usccCheckChar(b);
        expect(USCC_ALPHABET).toContain(check);
        expect(validateUscc(b + check)).toEqual({ ok: true, value: b + check });
        for (const other of USCC_ALPHABET) {
          if (other === check) continue;
          expect(validateUscc(b + other)).toEqual({ ok: false, issue: "check_digit" });
        }
      }),
    );
  });
});

describe("validatePassport", () => {
  it("accepts PRC and foreign formats, upper-cased without spaces", () => {
    expect(validatePassport("E12345678")).toEqual({ ok: true, value: "E12345678" });
    expect(validatePassport("ea 1234567")).toEqual({ ok: true, value: "EA1234567" });
    expect(validatePassport(" 5366 4215 8 ")).toEqual({ ok: true, value: "536642158" });
  });

  it("rejects too short, too long and non-alphanumeric values", () => {
    for (const bad of ["", "E123", "A".repeat(21), "E1234-5678", "护照12345"]) {
      expect(validatePassport(bad)).toEqual({ ok: false, issue: "format" });
    }
  });
});

describe("validatePhone", () => {
  it("canonicalises mainland mobiles", () => {
    for (const raw of ["13800138000", "+86 138 0013 8000", "0086-138-0013-8000", "86 13800138000", "+86-13800138000"]) {
      expect(validatePhone(raw)).toEqual({ ok: true, value: "13800138000" });
    }
  });

  it("canonicalises landlines as area code, dash, number", () => {
    expect(validatePhone("010-12345678")).toEqual({ ok: true, value: "010-12345678" });
    expect(validatePhone("01012345678")).toEqual({ ok: true, value: "010-12345678" });
    expect(validatePhone("0755 2678 9999")).toEqual({ ok: true, value: "0755-26789999" });
    expect(validatePhone("0571-8888888")).toEqual({ ok: true, value: "0571-8888888" });
  });

  it("canonicalises international E.164 numbers", () => {
    expect(validatePhone("+44 20 7183 8750")).toEqual({ ok: true, value: "+442071838750" });
    expect(validatePhone("+1-212-555-0100")).toEqual({ ok: true, value: "+12125550100" });
  });

  it("rejects malformed numbers, and +86 numbers that are not mobiles", () => {
    for (const bad of [
      "",
      "12800138000",
      "1380013800",
      "138001380001",
      "+86 010 12345678",
      "+0441234567",
      "+123456",
      "011-12345678",
      "010-123456",
      "phone",
      "138 0013 800O",
    ]) {
      expect(validatePhone(bad)).toEqual({ ok: false, issue: "format" });
    }
  });

  it("property: canonicalisation of formatted mobiles is stable and idempotent", () => {
    const mobile = fc.tuple(fc.integer({ min: 3, max: 9 }), fc.integer({ min: 0, max: 999_999_999 })).map(([second, rest]) => `1${second}${pad(rest, 9)}`);
    const sep = fc.constantFrom("", "", " ", "-", " - ", "  ");
    const formatted = fc
      .tuple(mobile, fc.constantFrom("", "+86", "0086", "86"), sep, fc.array(sep, { minLength: 11, maxLength: 11 }))
      .map(([m, prefix, afterPrefix, seps]) => ({
        m,
        raw: prefix + afterPrefix + [...m].map((digit, i) => digit + (i < 10 ? seps[i] : "")).join(""),
      }));
    fc.assert(
      fc.property(formatted, ({ m, raw }) => {
        const first = validatePhone(raw);
        expect(first).toEqual({ ok: true, value: m });
        if (first.ok) expect(validatePhone(first.value)).toEqual(first);
      }),
    );
  });
});

describe("validateEmail", () => {
  it("trims and lower-cases the domain only", () => {
    expect(validateEmail("  Zhang.San+tag@Example.COM ")).toEqual({ ok: true, value: "Zhang.San+tag@example.com" });
    expect(validateEmail("a@mail.xn--fiqs8s")).toEqual({ ok: true, value: "a@mail.xn--fiqs8s" });
  });

  it("rejects malformed addresses", () => {
    const bad = [
      "",
      "a",
      "@example.com",
      "a@",
      "a@b@example.com",
      "a b@example.com",
      "a@exam ple.com",
      "a@example",
      "a@example.c",
      "a..b@example.com",
      ".a@example.com",
      "a@-example.com",
      "a@example..com",
      `${"a".repeat(65)}@example.com`,
      `a@${"b".repeat(250)}.com`,
    ];
    for (const b of bad) expect(validateEmail(b)).toEqual({ ok: false, issue: "format" });
  });
});

describe("validateBirthDate", () => {
  it("accepts real dates in range", () => {
    expect(validateBirthDate("1949-12-31")).toEqual({ ok: true, value: "1949-12-31" });
    expect(validateBirthDate("2000-02-29")).toEqual({ ok: true, value: "2000-02-29" });
    expect(validateBirthDate("1900-01-01").ok).toBe(true);
    expect(validateBirthDate(isoDate(new Date())).ok).toBe(true);
  });

  it("rejects impossible, too old and future dates with birth_date", () => {
    for (const bad of ["1900-02-29", "2023-02-29", "2001-04-31", "2001-13-01", "2001-00-10", "1899-12-31", isoDate(tomorrowUtc())]) {
      expect(validateBirthDate(bad)).toEqual({ ok: false, issue: "birth_date" });
    }
  });

  it("rejects other shapes with format", () => {
    for (const bad of ["", "2000-2-3", "20000203", "2000/02/03", "2000-02-03T00:00:00Z"]) {
      expect(validateBirthDate(bad)).toEqual({ ok: false, issue: "format" });
    }
  });
});

describe("robustness on untrusted input", () => {
  const validators: Array<[string, (raw: string) => IdentifierCheck]> = [
    ["residentId", validateResidentId],
    ["uscc", validateUscc],
    ["passport", validatePassport],
    ["phone", validatePhone],
    ["email", validateEmail],
    ["birthDate", validateBirthDate],
  ];
  // Arbitrary Unicode (including lone surrogates) plus strings built from the
  // characters the validators care about, so deeper branches are reached too.
  const anyString = fc.oneof(
    fc.string({ unit: "binary", maxLength: 300 }),
    fc.string({ unit: "grapheme", maxLength: 60 }),
    fc.string({ unit: fc.constantFrom(..."0123456789Xx+- @.EabcM\t"), maxLength: 40 }),
  );

  for (const [name, validate] of validators) {
    it(`${name}: never throws and its accepted value is a fixed point`, () => {
      fc.assert(
        fc.property(anyString, (s) => {
          const first = validate(s);
          expect(typeof first.ok).toBe("boolean");
          if (first.ok) expect(validate(first.value)).toEqual(first);
        }),
        { numRuns: 500 },
      );
    });
  }

  it("refuses long adversarial input, in time linear in its length", () => {
    const nasty = (n: number) => [`${"a".repeat(n)}!`, "1".repeat(n), `${"a.".repeat(n / 2)}@`, `a@${"a-".repeat(n / 2)}`];
    for (const s of nasty(100_000)) for (const [, validate] of validators) expect(validate(s).ok).toBe(false);
    expect(growthRatio(nasty, (s) => validators.forEach(([, validate]) => validate(s)), 10_000)).toBeLessThan(4 * GROWTH_FACTOR);
  });
});
