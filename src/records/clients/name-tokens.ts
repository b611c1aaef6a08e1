/**
 * The name-search tokeniser (issue #15): which prefixes of a client's name are indexed, and which
 * prefixes a query looks up. Pure functions of plaintext; keying and truncation happen in
 * search-tokens.ts, so this file never sees a key and never writes anything.
 *
 * - A name is normalised (NFKC, lower case, whitespace folded) and cut into words at anything that
 *   is not a letter, mark or digit (spaces, the middle dot of transliterated names, commas …).
 * - A Han word (its first character is Han) is indexed by its prefixes of 1..MAX_HAN_PREFIX
 *   characters: "张三丰" gives 张, 张三, 张三丰. So a surname, which is the first one or two
 *   characters, is a prefix like any other. For a person, the given name is indexed too, after the
 *   surname: one character, or two for the compound surnames listed below (欧阳娜娜 → 娜, 娜娜),
 *   so typing the given name alone also finds the client.
 * - Any other word is indexed by its prefixes of MIN_LATIN_PREFIX..MAX_LATIN_PREFIX characters:
 *   "li wei-ming" gives li, we, wei, mi, min, ming (one-letter prefixes are not indexed: too many
 *   clients share them for a lookup to be useful, and every extra token is a little more leakage).
 * - A query matches a name when every query word is a prefix of some word of the name. A query word
 *   longer than the indexed prefixes is looked up by its longest indexed prefix; the exact match is
 *   decided after decrypting the candidates (`nameMatches`).
 */

/** Compound (two-character) Chinese surnames: the given name starts after them. */
export const COMPOUND_SURNAMES: ReadonlySet<string> = new Set([
  "欧阳",
  "司马",
  "诸葛",
  "上官",
  "东方",
  "皇甫",
  "尉迟",
  "公孙",
  "慕容",
  "长孙",
  "宇文",
  "司徒",
  "夏侯",
  "轩辕",
  "令狐",
  "澹台",
  "公冶",
  "太史",
  "申屠",
  "端木",
  "独孤",
  "南宫",
  "西门",
  "呼延",
  "赫连",
  "闻人",
  "濮阳",
  "淳于",
  "单于",
  "钟离",
  "宗政",
  "万俟",
  "仲孙",
  "第五",
  "司空",
  "百里",
  "东郭",
  "拓跋",
  "完颜",
  "鲜于",
]);

export const MAX_HAN_PREFIX = 6;
export const MIN_LATIN_PREFIX = 2;
export const MAX_LATIN_PREFIX = 8;
/** At most this many name tokens per client (the first words win). */
export const MAX_NAME_TOKENS = 24;
/**
 * search-tokens.ts pads a client's name tokens to the smallest of these that holds them. Most
 * person names need at most 8; the class says no more about a name than its ciphertext's length does.
 */
export const NAME_TOKEN_CLASSES = [8, 16, MAX_NAME_TOKENS] as const;

/** How many name tokens a client with `real` prefixes stores (real ones and padding). */
export const paddedTokenCount = (real: number): number => NAME_TOKEN_CLASSES.find((c) => c >= real) ?? MAX_NAME_TOKENS;

const HAN = /^\p{Script=Han}/u;
const SEPARATORS = /[^\p{L}\p{M}\p{N}]+/u;

/** NFKC, lower case, whitespace folded; idempotent (a property test checks it). */
export function normaliseName(value: string): string {
  // Lower-casing can produce text that NFKC changes again (and the reverse): applied to a fixed point.
  let out = value;
  for (let i = 0; i < 4; i++) {
    const next = out.normalize("NFKC").toLowerCase().normalize("NFKC").replace(/\s+/g, " ").trim();
    if (next === out) break;
    out = next;
  }
  return out;
}

/** Words of a normalised text, split at anything that is not a letter, mark or digit. */
export const wordsOf = (normalised: string): string[] => normalised.split(SEPARATORS).filter((w) => w.length > 0);

const isHan = (word: string) => HAN.test(word);
const chars = (word: string) => Array.from(word);

/** The surname of a Han person's name: a known compound surname, otherwise the first character. */
export function surnameOf(word: string): string {
  const c = chars(word);
  const two = c.slice(0, 2).join("");
  return c.length > 2 && COMPOUND_SURNAMES.has(two) ? two : (c[0] ?? "");
}

/** The words a name is searchable by: its own words, and for a Han person name the given name too. */
export function searchWordsOf(name: string, kind: "person" | "organization" = "person"): string[] {
  const words = wordsOf(normaliseName(name));
  if (kind !== "person") return words;
  const out = [...words];
  const first = words[0];
  if (first && isHan(first)) {
    const given = chars(first)
      .slice(chars(surnameOf(first)).length)
      .join("");
    if (given && isHan(given)) out.push(given);
  }
  return out;
}

/** The longest prefix of a word that is indexed; null when the word is too short to be indexed. */
export function indexedPrefix(word: string): string | null {
  const c = chars(word);
  if (isHan(word)) return c.slice(0, MAX_HAN_PREFIX).join("");
  if (c.length < MIN_LATIN_PREFIX) return null;
  return c.slice(0, MAX_LATIN_PREFIX).join("");
}

/** Every indexed prefix of a word. */
function prefixesOf(word: string): string[] {
  const c = chars(word);
  const [from, to] = isHan(word) ? [1, MAX_HAN_PREFIX] : [MIN_LATIN_PREFIX, MAX_LATIN_PREFIX];
  const out: string[] = [];
  for (let n = from; n <= Math.min(to, c.length); n++) out.push(c.slice(0, n).join(""));
  return out;
}

/** The distinct plaintext prefixes a client's name is indexed under (at most MAX_NAME_TOKENS, first words first). */
export function namePrefixes(name: string, kind: "person" | "organization" = "person"): string[] {
  const out = new Set<string>();
  for (const word of searchWordsOf(name, kind)) {
    for (const p of prefixesOf(word)) {
      if (out.size >= MAX_NAME_TOKENS) return [...out];
      out.add(p);
    }
  }
  return [...out];
}

/**
 * What a query looks up: the indexed prefix of each query word that is long enough to be indexed
 * (deduplicated). Empty when no word is: the caller refuses such a query as too short.
 */
export function queryPrefixes(query: string): string[] {
  return [
    ...new Set(
      wordsOf(normaliseName(query))
        .map(indexedPrefix)
        .filter((p): p is string => p !== null),
    ),
  ];
}

/** The exact test after decryption: every query word starts some searchable word of the name. */
export function nameMatches(name: string, kind: "person" | "organization", query: string): boolean {
  const queryWords = wordsOf(normaliseName(query));
  if (queryWords.length === 0) return false;
  const words = searchWordsOf(name, kind);
  return queryWords.every((q) => words.some((w) => w.startsWith(q)));
}

/** The last four characters of an identifier, as a tail search compares them (digits, and X for resident IDs). */
export function tailOf(normalised: string | null): string | null {
  if (!normalised || normalised.length < 4) return null;
  return normalised.slice(-4);
}

/** A query that is an identifier tail: four characters, digits with a final X allowed (resident IDs). */
export const TAIL_QUERY = /^\d{3}[\dXx]$/;
