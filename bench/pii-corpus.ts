/**
 * A generated corpus of Chinese legal documents (contracts, case notes, tables with pipes or tabs,
 * letters) with known identifiers of every type the PII detector reports, and their exact spans as
 * ground truth. Around them: look-alikes that must not be reported (wrong check characters, dates
 * that do not exist, card-length numbers failing Luhn, order and reference numbers, phone-like numbers
 * of the wrong length, passport-shaped codes without context), identifiers split across line breaks
 * or by spaces in table cells, full-width digits and zero-width characters. Deterministic by seed.
 */
import { luhnValid, RESIDENT_ID_REGIONS, residentIdCheckChar, usccCheckChar } from "../src/records/clients/identifiers.js";
import { isHkId, isResidencePermit, isResidentId, isTaiwanId, isUscc } from "../src/records/documents/pii/checks.js";
import { PII_TYPES, type PiiType } from "../src/records/documents/pii/types.js";

export interface TruthSpan {
  type: PiiType;
  start: number;
  end: number;
}
/** A planted look-alike: never an identifier, so any finding touching it is a false positive. */
export interface LookAlikeSpan {
  kind: LookAlikeKind;
  start: number;
  end: number;
}
export interface CorpusDocument {
  kind: "contract" | "case_note" | "pipe_table" | "tab_table" | "letter";
  text: string;
  truth: TruthSpan[];
  lookAlikes: LookAlikeSpan[];
}

/** mulberry32: small, fast, and the same sequence on every machine. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => String(int(0, 9))).join("");
  return { next, int, pick, digits, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

const pad = (n: number, w: number) => String(n).padStart(w, "0");
const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const luhnDigit = (body: string) => [..."0123456789"].find((d) => luhnValid(body + d))!;
const FULL_WIDTH = (s: string) => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

function birthDate(r: Rng): string {
  const y = r.int(1940, 2005);
  const m = r.int(1, 12);
  const d = r.int(1, m === 2 ? 28 : 30);
  return `${y}${pad(m, 2)}${pad(d, 2)}`;
}
const withCheck = (body: string) => body + residentIdCheckChar(body);

// ---------------------------------------------------------------------------
// Valid identifiers

const gen = {
  residentId: (r: Rng) => withCheck(`${r.pick(RESIDENT_ID_REGIONS)}${birthDate(r)}${r.digits(3)}`),
  oldResidentId: (r: Rng) => `${r.pick(RESIDENT_ID_REGIONS)}${birthDate(r).slice(2)}${r.digits(3)}`,
  residencePermit: (r: Rng) => withCheck(`${r.pick(["810000", "820000", "830000"])}${birthDate(r)}${r.digits(3)}`),
  uscc(r: Rng): string {
    for (;;) {
      const body = `${r.pick(["91", "92", "93", "11", "12", "51", "52", "53", "Y1"])}${r.pick(RESIDENT_ID_REGIONS)}${Array.from({ length: 9 }, () => r.pick([...USCC_ALPHABET])).join("")}`;
      const code = body + usccCheckChar(body);
      if (!isResidentId(code)) return code;
    }
  },
  mobile: (r: Rng) => `1${r.pick(["3", "5", "7", "8", "9"])}${r.digits(9)}`,
  card(r: Rng): string {
    // 16 and 19 digits are UnionPay's lengths; 18-digit cards are left out, since an 18-digit number
    // passing Luhn and a resident ID or credit code check is read as the ID (by design).
    const length = r.pick([16, 16, 16, 19, 19, 17]);
    const body = `${r.pick(["62", "62", "45", "52", "60", "35"])}${r.digits(length - 3)}`;
    return body + luhnDigit(body);
  },
  hkId(r: Rng): string {
    const letters = r.chance(0.8) ? r.pick([..."ACDEGHKMPRVYZ"]) : `${r.pick(["W", "X"])}${r.pick([..."ABCDEFGH"])}`;
    const digits = r.digits(6);
    const values = letters.length === 1 ? [36, letters.charCodeAt(0) - 55] : [letters.charCodeAt(0) - 55, letters.charCodeAt(1) - 55];
    let sum = values[0]! * 9 + values[1]! * 8;
    for (let i = 0; i < 6; i++) sum += Number(digits[i]) * (7 - i);
    const check = (11 - (sum % 11)) % 11;
    return `${letters}${digits}(${check === 10 ? "A" : check})`;
  },
  taiwanId(r: Rng): string {
    const letters = "ABCDEFGHJKLMNPQRSTUVXYWZIO";
    const letter = r.pick([...letters.slice(0, 20)]);
    const body = `${r.pick(["1", "2"])}${r.digits(7)}`;
    const v = letters.indexOf(letter) + 10;
    let sum = Math.floor(v / 10) + (v % 10) * 9;
    for (let i = 0; i < 8; i++) sum += Number(body[i]) * (8 - i);
    return `${letter}${body}${(10 - (sum % 10)) % 10}`;
  },
  email: (r: Rng) =>
    `${r.pick(["zhang.wei", "li_na", "wangfang", "chen.jie", "liu88", "client.service", "y.zhao"])}${r.int(1, 999)}@${r.pick(["example.com", "lawfirm.cn", "qq.com", "163.com", "corp.example.org"])}`,
};

const GIVEN = [..."伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志文斌晨宇浩然欣怡子涵梓萱思远嘉"];
const SURNAMES = [
  ..."王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤",
];
const COMPOUND = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "慕容", "司徒"];
const PLACES = [
  ["北京市", "朝阳区建国路", "海淀区中关村大街", "东城区东直门内大街"],
  ["上海市", "浦东新区世纪大道", "徐汇区漕溪北路", "黄浦区南京东路"],
  ["广东省深圳市", "南山区科技园路", "福田区深南大道"],
  ["广东省广州市", "天河区天河路", "越秀区中山五路"],
  ["浙江省杭州市", "西湖区文三路", "上城区解放路"],
  ["四川省成都市", "武侯区人民南路", "锦江区春熙路"],
  ["湖北省武汉市", "江汉区解放大道", "武昌区中南路"],
  ["江苏省南京市", "鼓楼区中山北路", "玄武区珠江路"],
  ["重庆市", "渝中区解放碑", "江北区观音桥步行街"],
  ["陕西省西安市", "雁塔区长安南路", "碑林区南大街"],
  ["香港特别行政区", "九龙弥敦道", "中环德辅道中"],
  ["新疆维吾尔自治区乌鲁木齐市", "天山区解放北路"],
  ["福建省厦门市", "思明区鹭江道"],
  ["天津市", "和平区南京路", "南开区鞍山西道"],
] as const;

function personName(r: Rng): string {
  const surname = r.chance(0.1) ? r.pick(COMPOUND) : r.pick(SURNAMES);
  return surname + r.pick(GIVEN) + (r.chance(0.7) ? r.pick(GIVEN) : "");
}
function address(r: Rng): string {
  const [city, ...streets] = r.pick(PLACES);
  return `${city}${r.pick(streets)}${r.int(1, 999)}号${r.chance(0.5) ? `${r.int(1, 30)}栋${r.int(101, 2808)}室` : ""}`;
}

// ---------------------------------------------------------------------------
// Formats: how a value is written (the truth span covers exactly what is written)

const group = (s: string, sizes: number[], sep: string) => {
  const parts: string[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= s.length) break;
    parts.push(s.slice(at, at + size));
    at += size;
  }
  if (at < s.length) parts.push(s.slice(at));
  return parts.join(sep);
};
const splitAt = (s: string, at: number, sep: string) => s.slice(0, at) + sep + s.slice(at);

function styled(r: Rng, value: string, kind: "id" | "card" | "mobile"): string {
  const roll = r.next();
  if (roll < 0.55) return value;
  if (roll < 0.7)
    return kind === "id"
      ? group(value, [6, 8, 4], r.pick([" ", "-"]))
      : kind === "card"
        ? group(value, [4, 4, 4, 4, 4], " ")
        : group(value, [3, 4, 4], r.pick([" ", "-"]));
  if (roll < 0.8) return splitAt(value, r.int(3, value.length - 3), r.pick(["\n", "\r\n", "\n  "])); // a wrapped line
  if (roll < 0.9) return FULL_WIDTH(value);
  return splitAt(value, r.int(2, value.length - 2), "\u200b"); // an invisible character pasted in
}

// ---------------------------------------------------------------------------
// Look-alikes: never identifiers, by construction (each is checked against the validators)

const lookAlike = {
  wrongCheck(r: Rng): string {
    for (;;) {
      const id = gen.residentId(r);
      const wrong = id.slice(0, 17) + r.pick([..."0123456789X"].filter((c) => c !== id[17]));
      if (!luhnValid(wrong) && !isUscc(wrong)) return wrong;
    }
  },
  impossibleDate(r: Rng): string {
    for (;;) {
      const date = r.pick(["19990230", "20010229", "19850431", "19921301", "19780000", "20991231", "19880632"]);
      const id = withCheck(`${r.pick(RESIDENT_ID_REGIONS)}${date}${r.digits(3)}`);
      if (!luhnValid(id) && !isUscc(id)) return id;
    }
  },
  failingLuhn(r: Rng): string {
    for (;;) {
      const n = `${r.pick(["45", "52", "35", "60"])}${r.digits(r.pick([14, 17]))}`;
      if (!luhnValid(n) && !isResidentId(n) && !isUscc(n)) return n;
    }
  },
  /** A permit number (region 81/82/83) with a wrong check character. */
  permitWrongCheck(r: Rng): string {
    for (;;) {
      const id = gen.residencePermit(r);
      const wrong = id.slice(0, 17) + r.pick([..."0123456789X"].filter((c) => c !== id[17]));
      if (!isResidencePermit(wrong) && !luhnValid(wrong) && !isUscc(wrong)) return wrong;
    }
  },
  usccWrongCheck(r: Rng): string {
    for (;;) {
      const code = gen.uscc(r);
      const wrong = code.slice(0, 17) + r.pick([...USCC_ALPHABET].filter((c) => c !== code[17]));
      if (!isUscc(wrong) && !isResidentId(wrong)) return wrong;
    }
  },
  hkIdWrongCheck(r: Rng): string {
    for (;;) {
      const id = gen.hkId(r);
      const m = /^([A-Z]{1,2})(\d{6})\(([0-9A])\)$/.exec(id)!;
      const wrong = r.pick([..."0123456789A"].filter((c) => c !== m[3]));
      if (!isHkId(m[1]!, m[2]!, wrong)) return `${m[1]}${m[2]}(${wrong})`;
    }
  },
  taiwanIdWrongCheck(r: Rng): string {
    for (;;) {
      const id = gen.taiwanId(r);
      const wrong = id.slice(0, 9) + r.pick([..."0123456789"].filter((c) => c !== id[9]));
      if (!isTaiwanId(wrong)) return wrong;
    }
  },
  /**
   * A 16-digit Visa or Mastercard-looking number printed in groups of four, failing Luhn. Not 62:
   * some UnionPay cards fail Luhn, so a 62 number labelled as a card may be one (reported, low).
   */
  groupedFailingLuhn(r: Rng): string {
    for (;;) {
      const n = `${r.pick(["45", "52"])}${r.digits(14)}`;
      if (!luhnValid(n)) return group(n, [4, 4, 4, 4], " ");
    }
  },
  orderNumber: (r: Rng) => `${r.int(2019, 2025)}${pad(r.int(1, 12), 2)}${pad(r.int(1, 28), 2)}${r.digits(r.pick([8, 10, 11, 12]))}`,
  longReference(r: Rng): string {
    const card = gen.card(r); // a valid card inside a longer number (20+ digits: no card length)
    return card + r.digits(Math.max(20 - card.length, r.int(3, 6)));
  },
  shortPhone: (r: Rng) => `1${r.pick(["3", "5", "8"])}${r.digits(r.pick([8, 10]))}`,
  bareCode: (r: Rng) => `E${r.digits(8)}`, // passport-shaped, no passport context
  caseNumber: (r: Rng) => `（${r.int(2015, 2024)}）京${pad(r.int(1, 120), 4)}民初${r.int(100, 99999)}号`,
  amount: (r: Rng) => `人民币${r.int(1, 999)},${pad(r.int(0, 999), 3)}元`,
  date: (r: Rng) => `${r.int(2015, 2024)}-${pad(r.int(1, 12), 2)}-${pad(r.int(1, 28), 2)}`,
};

// ---------------------------------------------------------------------------
// Text

const FILLER = [
  "本合同自双方签字盖章之日起生效。",
  "双方应本着诚实信用原则履行本协议。",
  "律师已向客户说明相关法律风险，客户表示理解。",
  "本所接受委托后，指派承办律师负责本案。",
  "如发生争议，双方应协商解决；协商不成的，提交有管辖权的人民法院诉讼解决。",
  "当事人应当如实陈述案件事实，并提供相关证据材料。",
  "委托人的合法权益受法律保护。",
  "原告方认为被告未按约定履行付款义务。",
  "经审查，申请人提交的材料符合受理条件。",
  "以上信息仅供本案使用，未经许可不得对外披露。",
  "会议记录由经办律师整理，归入案卷。",
  "客户来电询问案件进展，已告知下次开庭时间。",
  "根据《中华人民共和国民法典》相关规定，",
  "保密义务不因本合同的终止而终止。",
  "双方确认上述地址为有效送达地址。",
];

export type LookAlikeKind = keyof typeof lookAlike;

class Builder {
  text = "";
  truth: TruthSpan[] = [];
  lookAlikes: LookAlikeSpan[] = [];
  constructor(readonly r: Rng) {}
  add(s: string): this {
    this.text += s;
    return this;
  }
  pii(type: PiiType, written: string): this {
    this.truth.push({ type, start: this.text.length, end: this.text.length + written.length });
    this.text += written;
    return this;
  }
  lookAlike(kind: LookAlikeKind): this {
    const written = lookAlike[kind](this.r);
    this.lookAlikes.push({ kind, start: this.text.length, end: this.text.length + written.length });
    this.text += written;
    return this;
  }
  filler(n = 1): this {
    for (let i = 0; i < n; i++) this.add(this.r.pick(FILLER));
    return this;
  }
}

type Line = (b: Builder) => void;

// One labelled line per type; each ends with a boundary the type's reader expects.
const LINES: Record<PiiType, Line[]> = {
  resident_id: [
    (b) =>
      b
        .add(b.r.pick(["身份证号码：", "公民身份号码", "身份证号 ", "证件号码为"]))
        .pii("resident_id", styled(b.r, gen.residentId(b.r), "id"))
        .add("，"),
    (b) =>
      b
        .add(b.r.pick(["身份证号（旧）：", "原身份证号"]))
        .pii("resident_id", gen.oldResidentId(b.r))
        .add("；"),
  ],
  residence_permit: [
    (b) =>
      b
        .add("港澳台居民居住证号码：")
        .pii("residence_permit", styled(b.r, gen.residencePermit(b.r), "id"))
        .add("。"),
  ],
  uscc: [
    (b) =>
      b
        .add(b.r.pick(["统一社会信用代码：", "信用代码", "社会信用代码为 "]))
        .pii("uscc", gen.uscc(b.r))
        .add("，"),
  ],
  mobile: [
    (b) =>
      b
        .add(b.r.pick(["手机：", "联系电话", "电话 ", "手机号码为"]))
        .pii("mobile", styled(b.r, gen.mobile(b.r), "mobile"))
        .add("，"),
    (b) =>
      b
        .add("联系方式 ")
        .pii("mobile", `${b.r.pick(["+86 ", "+86-", "+86"])}${group(gen.mobile(b.r), [3, 4, 4], b.r.pick([" ", "-"]))}`)
        .add("。"),
    (b) => b.add("如有疑问请致").pii("mobile", gen.mobile(b.r)).add("。"),
  ],
  landline: [
    (b) =>
      b
        .add(b.r.pick(["办公电话：", "座机 ", "传真："]))
        .pii("landline", `${b.r.pick(["010", "021", "0755", "0571"])}-${b.r.int(2, 8)}${b.r.digits(b.r.pick([6, 7]))}`)
        .add("，"),
    (b) =>
      b
        .add("总机")
        .pii("landline", `(${b.r.pick(["020", "028", "0512"])})${b.r.int(2, 8)}${b.r.digits(7)}`)
        .add("。"),
  ],
  bank_card: [
    (b) =>
      b
        .add(b.r.pick(["银行卡号：", "收款账号 ", "工资卡", "开户账号为"]))
        .pii("bank_card", styled(b.r, gen.card(b.r), "card"))
        .add("，"),
  ],
  hk_id: [
    (b) =>
      b
        .add(b.r.pick(["香港身份证：", "HKID "]))
        .pii("hk_id", gen.hkId(b.r))
        .add("，"),
  ],
  macau_id: [
    (b) =>
      b
        .add("澳门居民身份证号码")
        .pii("macau_id", `${b.r.pick(["1", "5", "7"])}${b.r.digits(6)}(${b.r.int(0, 9)})`)
        .add("，"),
  ],
  taiwan_id: [
    (b) =>
      b
        .add(b.r.pick(["台湾身份证字号：", "身分證 "]))
        .pii("taiwan_id", gen.taiwanId(b.r))
        .add("。"),
  ],
  hk_macau_travel_permit: [
    (b) =>
      b
        .add(b.r.pick(["回乡证号码：", "港澳居民来往内地通行证 "]))
        .pii("hk_macau_travel_permit", `${b.r.pick(["H", "M"])}${b.r.digits(b.r.pick([8, 10]))}`)
        .add("，"),
  ],
  taiwan_travel_permit: [
    (b) =>
      b
        .add(b.r.pick(["台胞证号码：", "台湾居民来往大陆通行证号码"]))
        .pii("taiwan_travel_permit", b.r.digits(8))
        .add("，"),
  ],
  exit_entry_permit: [
    (b) =>
      b
        .add("往来港澳通行证号码：")
        .pii("exit_entry_permit", `C${b.r.pick([..."ABDEFGH"])}${b.r.digits(7)}`)
        .add("，"),
  ],
  passport: [
    (b) =>
      b
        .add(b.r.pick(["护照号码：", "护照 ", "Passport No. "]))
        .pii("passport", b.r.chance(0.5) ? `E${b.r.digits(8)}` : `E${b.r.pick([..."ABCDEFG"])}${b.r.digits(7)}`)
        .add("，"),
  ],
  email: [
    (b) =>
      b
        .add(b.r.pick(["电子邮箱：", "邮箱 ", "Email: "]))
        .pii("email", gen.email(b.r))
        .add(b.r.pick(["，", "。", " "])),
  ],
  person_name: [
    (b) =>
      b
        .add(b.r.pick(["姓名：", "委托人：", "当事人", "联系人 ", "法定代表人："]))
        .pii("person_name", personName(b.r))
        .add(b.r.pick(["，", "（", "因", "先生，"])),
  ],
  address: [
    (b) =>
      b
        .add(b.r.pick(["住址：", "地址：", "住所地：", "送达地址 "]))
        .pii("address", address(b.r))
        .add(b.r.pick(["，", "。", "\n"])),
  ],
};

// Each look-alike sits behind the label its real counterpart would have, to tempt the detector.
const LOOK_ALIKE_LINES: Line[] = [
  (b) => b.add("身份证号码：").lookAlike("wrongCheck").add("（核对有误），"),
  (b) => b.add("证件号").lookAlike("impossibleDate").add("，"),
  (b) => b.add("港澳台居民居住证号码：").lookAlike("permitWrongCheck").add("（待核实）。"),
  (b) => b.add("统一社会信用代码：").lookAlike("usccWrongCheck").add("（校验不符），"),
  (b) => b.add("香港身份证：").lookAlike("hkIdWrongCheck").add("（号码有误），"),
  (b) => b.add("台湾身份证字号：").lookAlike("taiwanIdWrongCheck").add("（有误）。"),
  (b) => b.add("卡号 ").lookAlike("failingLuhn").add("（无效），"),
  (b) => b.add("银行卡号：").lookAlike("groupedFailingLuhn").add("（卡号错误），"),
  (b) => b.add("订单号：").lookAlike("orderNumber").add("，"),
  (b) => b.add("交易流水号").lookAlike("longReference").add("。"),
  (b) => b.add("电话").lookAlike("shortPhone").add("（号码位数不对），"),
  (b) => b.add("设备型号").lookAlike("bareCode").add("，"),
  (b) => b.add("案号").lookAlike("caseNumber").add("，标的额").lookAlike("amount").add("，于").lookAlike("date").add("开庭。"),
];

function prose(b: Builder, kind: CorpusDocument["kind"], lines: number) {
  const title = { contract: "委托代理合同\n\n", case_note: "案件备忘录\n\n", letter: "律师函\n\n致：", pipe_table: "", tab_table: "" }[kind];
  b.add(title);
  for (let i = 0; i < lines; i++) {
    b.filler(b.r.int(0, 2));
    if (b.r.chance(0.3)) b.r.pick(LOOK_ALIKE_LINES)(b);
    else b.r.pick(LINES[b.r.pick(PII_TYPES)])(b);
    if (b.r.chance(0.3)) b.add("\n");
  }
  b.add("\n\n此致\n敬礼\n");
}

// Tables: one row per person; the cell separator is a hard boundary, spaces inside a cell are not.
function table(b: Builder, sep: "|" | "\t", rows: number) {
  const cell = (f: () => void) => {
    b.add(sep === "|" ? " " : "");
    f();
    b.add(sep === "|" ? " |" : "\t");
  };
  b.add(sep === "|" ? "| 序号 | 当事人 | 身份证号 | 手机 | 银行卡号 | 备注 |\n|---|---|---|---|---|---|\n" : "序号\t当事人\t身份证号\t手机\t银行卡号\t备注\n");
  for (let i = 1; i <= rows; i++) {
    if (sep === "|") b.add("|");
    cell(() => b.add(String(i)));
    // Names in a column carry no label of their own: the detector is not expected to find them.
    cell(() => b.add(personName(b.r)));
    cell(() =>
      b.r.chance(0.15)
        ? b.lookAlike(b.r.pick(["wrongCheck", "impossibleDate"] as const))
        : b.pii("resident_id", b.r.chance(0.3) ? group(gen.residentId(b.r), [6, 8, 4], " ") : gen.residentId(b.r)),
    );
    cell(() => b.pii("mobile", b.r.chance(0.3) ? group(gen.mobile(b.r), [3, 4, 4], " ") : gen.mobile(b.r)));
    cell(() =>
      b.r.chance(0.15)
        ? b.lookAlike(b.r.pick(["failingLuhn", "groupedFailingLuhn"] as const))
        : b.pii("bank_card", b.r.chance(0.5) ? group(gen.card(b.r), [4, 4, 4, 4, 4], " ") : gen.card(b.r)),
    );
    cell(() => {
      const roll = b.r.int(0, 3);
      if (roll < 2) b.add(roll === 0 ? "已核实" : "待补充");
      else b.lookAlike(roll === 2 ? "orderNumber" : "date");
    });
    b.add("\n");
  }
}

/** Documents until about `bytes` of UTF-8 text; the same seed gives the same corpus. */
export function generateCorpus(seed: number, bytes: number): CorpusDocument[] {
  const r = rng(seed);
  const docs: CorpusDocument[] = [];
  let total = 0;
  while (total < bytes) {
    const kind = r.pick(["contract", "case_note", "letter", "pipe_table", "tab_table"] as const);
    const b = new Builder(r);
    if (kind === "pipe_table") table(b, "|", r.int(5, 30));
    else if (kind === "tab_table") table(b, "\t", r.int(5, 30));
    else prose(b, kind, r.int(10, 60));
    docs.push({ kind, text: b.text, truth: b.truth, lookAlikes: b.lookAlikes });
    total += Buffer.byteLength(b.text);
  }
  return docs;
}

export interface TypeScore {
  truth: number;
  found: number;
  truePositives: number;
  precision: number;
  recall: number;
}

type Span = { type: string; start: number; end: number };

/**
 * Precision and recall per type: a finding counts only if its type and exact span match a ground
 * truth span (a redaction must remove exactly the value). Types with no truth and no finding are left out.
 * `classOf` groups truth types for a peer whose types are coarser (its "phone" is our mobile and landline).
 */
export function evaluate(
  docs: readonly CorpusDocument[],
  findingsOf: (doc: CorpusDocument) => readonly Span[],
  classOf: (type: PiiType) => string = (type) => type,
): Record<string, TypeScore> {
  const counts = new Map<string, { truth: number; found: number; tp: number }>();
  const entry = (t: string) => counts.get(t) ?? counts.set(t, { truth: 0, found: 0, tp: 0 }).get(t)!;
  for (const doc of docs) {
    const truth = new Set(doc.truth.map((t) => `${classOf(t.type)}:${t.start}:${t.end}`));
    for (const t of doc.truth) entry(classOf(t.type)).truth++;
    for (const f of findingsOf(doc)) {
      const e = entry(f.type);
      e.found++;
      if (truth.has(`${f.type}:${f.start}:${f.end}`)) e.tp++;
    }
  }
  const scores: Record<string, TypeScore> = {};
  for (const [type, c] of [...counts].sort(([a], [b]) => a.localeCompare(b)))
    scores[type] = { truth: c.truth, found: c.found, truePositives: c.tp, precision: c.found ? c.tp / c.found : 1, recall: c.truth ? c.tp / c.truth : 1 };
  return scores;
}

/** How many look-alikes of each kind were planted, and how many a finding touched (each one a false positive). */
export function lookAlikeHits(
  docs: readonly CorpusDocument[],
  findingsOf: (doc: CorpusDocument) => readonly Span[],
): Record<string, { planted: number; reported: number }> {
  const out: Record<string, { planted: number; reported: number }> = {};
  for (const doc of docs) {
    const findings = findingsOf(doc);
    for (const l of doc.lookAlikes) {
      const e = (out[l.kind] ??= { planted: 0, reported: 0 });
      e.planted++;
      if (findings.some((f) => f.start < l.end && f.end > l.start)) e.reported++;
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
