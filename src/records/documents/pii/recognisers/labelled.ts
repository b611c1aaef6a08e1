/**
 * Names and addresses, found only after a label (姓名：, 委托人, 住址：…) and reported as low
 * confidence: a name must start with a known surname and be 2-4 Han characters, an address must start
 * with a place from the gazetteer. Without a label neither is looked for.
 */
import { MAX_PLACE_LENGTH, MAX_SURNAME_LENGTH, PLACES, SURNAMES } from "../gazetteer.js";
import type { Hit } from "./candidate.js";

const NAME_LABEL =
  /(?:姓名|联系人|当事人|委托人|被申请人|申请人|原告|被告|第三人|法定代表人|负责人|代理人|经办人|收件人|借款人|出借人|担保人|签字人|承租人|出租人|证人|户主)[：:]?[ \t|]{0,3}/g;
const HAN = /[\u4e00-\u9fff]/;
// Characters that end a name when they follow it in running text (因, 与, 先生, 女士 …).
const AFTER_NAME = new Set([..."因于在与和及等的是为向称说认表已将对把被从自系诉、先女律同经老"]);
// Words that follow a label in running text and start with a surname character (当事人应当…, 原告方…).
const NOT_GIVEN = new Set([..."当方人们应可须未不已均各及称或亦"]);
// 原告方 / 被告方 / 第三人方 are the party, not a person named 方….
const PARTY_LABEL = /^(?:原告|被告|第三人)/;

export function names(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of text.matchAll(NAME_LABEL)) {
    const at = m.index + m[0].length;
    let run = 0;
    while (run < 7 && at + run < text.length && HAN.test(text[at + run]!)) run++;
    if (run < 2) continue;
    const surname = surnameAt(text, at, run);
    if (surname === 0 || NOT_GIVEN.has(text[at + surname]!) || (text[at] === "方" && PARTY_LABEL.test(m[0]))) continue;
    let length: number;
    if (run === surname + 2 && AFTER_NAME.has(text[at + surname + 1]!)) length = surname + 1;
    else if (run <= surname + 2) length = run;
    else if (AFTER_NAME.has(text[at + surname + 1]!)) length = surname + 1;
    else if (AFTER_NAME.has(text[at + surname + 2]!)) length = surname + 2;
    else continue;
    if (length < 2 || length > 4 || length === surname) continue;
    hits.push({ type: "person_name", start: at, end: at + length, confidence: "low", validated: false });
  }
  return hits;
}

// The longest surname at `at` that leaves room for a given name.
function surnameAt(text: string, at: number, run: number): number {
  for (let n = Math.min(MAX_SURNAME_LENGTH, run - 1); n >= 1; n--) if (SURNAMES.has(text.slice(at, at + n))) return n;
  return 0;
}

const ADDRESS_LABEL = /(?:户籍地址|户籍所在地|经常居住地|住所地|联系地址|通讯地址|送达地址|家庭住址|现住址|住址|地址|住所)[：:]?[ \t|]{0,3}/g;
const ADDRESS_END = /[，,。；;\n\r\t|）)【】"“”]/;
const MAX_ADDRESS = 60;

export function addresses(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of text.matchAll(ADDRESS_LABEL)) {
    const at = m.index + m[0].length;
    let place = 0;
    for (let n = MAX_PLACE_LENGTH; n >= 2; n--) {
      if (PLACES.has(text.slice(at, at + n))) {
        place = n;
        break;
      }
    }
    if (place === 0) continue;
    let end = at + place;
    while (end < text.length && end - at < MAX_ADDRESS && !ADDRESS_END.test(text[end]!)) end++;
    while (end > at + place && text[end - 1] === " ") end--;
    hits.push({ type: "address", start: at, end, confidence: "low", validated: false });
  }
  return hits;
}
