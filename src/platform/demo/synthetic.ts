// Fast, seeded generator of synthetic (fictitious) natural-person clients for demos
// and benchmarks. Deterministic per seed; no Math.random, no Date in the hot path.

import { RESIDENT_ID_REGIONS, residentIdCheckChar } from "../../records/clients/identifiers.js";

export interface SyntheticClient {
  kind: "person";
  name: string;
  idType: "resident_id";
  idNumber: string;
  phone: string;
  email: string;
  address: string;
  birthDate: string;
  notes: string;
}

// ---------------------------------------------------------------------------
// Static tables (built once at module load)

const SURNAMES = [
  ...new Set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤",
  ),
];
const COMPOUND_SURNAMES = ["欧阳", "司马", "上官", "诸葛", "司徒", "东方", "皇甫", "慕容"];
const GIVEN = [
  ...new Set(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国玉萍红梅鹏飞辉新宇浩然子轩欣怡梓涵晨阳佳琪思雨俊博文昊天瑞雪婷颖志宏海波春燕晓东丹斌峰雷鑫凯琳璐蕾倩雯慧敬康乐安宁嘉怡睿哲航泽楠一鸣诗语心妍雅菲柏林振兴永福德成家豪凤莲晶蓉彤莹健晖俊毅清越忠信亮光远益明达云松竹兵翔",
  ),
];

// Region code -> "省市区" prefix; must cover every RESIDENT_ID_REGIONS entry.
const REGION_PREFIX: Readonly<Record<string, string>> = {
  "110101": "北京市东城区",
  "110102": "北京市西城区",
  "110105": "北京市朝阳区",
  "110108": "北京市海淀区",
  "120101": "天津市和平区",
  "120104": "天津市南开区",
  "130102": "河北省石家庄市长安区",
  "140105": "山西省太原市小店区",
  "150102": "内蒙古自治区呼和浩特市新城区",
  "210102": "辽宁省沈阳市和平区",
  "210202": "辽宁省大连市中山区",
  "220102": "吉林省长春市南关区",
  "230103": "黑龙江省哈尔滨市南岗区",
  "310101": "上海市黄浦区",
  "310104": "上海市徐汇区",
  "310115": "上海市浦东新区",
  "320102": "江苏省南京市玄武区",
  "320505": "江苏省苏州市虎丘区",
  "330106": "浙江省杭州市西湖区",
  "330203": "浙江省宁波市海曙区",
  "340104": "安徽省合肥市蜀山区",
  "350102": "福建省福州市鼓楼区",
  "350203": "福建省厦门市思明区",
  "360102": "江西省南昌市东湖区",
  "370102": "山东省济南市历下区",
  "370202": "山东省青岛市市南区",
  "410105": "河南省郑州市金水区",
  "420102": "湖北省武汉市江岸区",
  "420106": "湖北省武汉市武昌区",
  "430104": "湖南省长沙市岳麓区",
  "440104": "广东省广州市越秀区",
  "440106": "广东省广州市天河区",
  "440304": "广东省深圳市福田区",
  "440305": "广东省深圳市南山区",
  "450103": "广西壮族自治区南宁市青秀区",
  "460106": "海南省海口市龙华区",
  "500103": "重庆市渝中区",
  "500112": "重庆市渝北区",
  "510104": "四川省成都市锦江区",
  "510107": "四川省成都市武侯区",
  "520102": "贵州省贵阳市南明区",
  "530102": "云南省昆明市五华区",
  "540102": "西藏自治区拉萨市城关区",
  "610113": "陕西省西安市雁塔区",
  "620102": "甘肃省兰州市城关区",
  "630102": "青海省西宁市城东区",
  "640104": "宁夏回族自治区银川市兴庆区",
  "650102": "新疆维吾尔自治区乌鲁木齐市天山区",
};

const REGIONS = RESIDENT_ID_REGIONS.map((code) => {
  const prefix = REGION_PREFIX[code];
  if (prefix === undefined) throw new Error(`synthetic: no address prefix for region ${code}`);
  return { code, prefix };
});

const STREETS = [
  "建国路",
  "人民路",
  "中山路",
  "解放路",
  "和平路",
  "长江路",
  "黄河路",
  "新华路",
  "胜利路",
  "文化路",
  "建设路",
  "光明路",
  "复兴路",
  "友谊路",
  "朝阳路",
  "青年路",
  "滨江路",
  "学府路",
  "科技路",
  "东风路",
];
const COMMUNITIES = ["阳光", "幸福", "和谐", "锦绣", "翠苑", "花园", "金桥", "绿洲", "东方", "明珠"];
const MOBILE_PREFIXES = [
  "130",
  "131",
  "132",
  "133",
  "134",
  "135",
  "136",
  "137",
  "138",
  "139",
  "150",
  "151",
  "152",
  "153",
  "155",
  "156",
  "157",
  "158",
  "159",
  "166",
  "170",
  "171",
  "172",
  "173",
  "174",
  "175",
  "176",
  "177",
  "178",
  "180",
  "181",
  "182",
  "183",
  "184",
  "185",
  "186",
  "187",
  "188",
  "189",
  "191",
  "198",
  "199",
];
const EMAIL_DOMAINS = ["example.com", "example.cn", "example.org"]; // reserved/fake domains only
const NOTES = [
  "客户咨询劳动合同纠纷。",
  "客户咨询房屋租赁合同事宜。",
  "客户委托起草股权转让协议。",
  "客户咨询离婚财产分割问题。",
  "客户咨询交通事故赔偿事宜。",
  "客户委托审查借款合同。",
  "客户咨询遗产继承手续。",
  "客户咨询知识产权保护事宜。",
  "客户委托处理商品房买卖纠纷。",
  "客户咨询个人所得税申报问题。",
  "客户预约下周面谈。",
  "客户已提交补充材料。",
];

// Birth dates 1940-01-01..2006-12-31, as "YYYYMMDD" (for the ID) and "YYYY-MM-DD".
const BIRTH_COMPACT: string[] = [];
const BIRTH_ISO: string[] = [];
for (let y = 1940; y <= 2006; y++) {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  for (let m = 1; m <= 12; m++) {
    const mm = m < 10 ? `0${m}` : `${m}`;
    for (let d = 1; d <= monthDays[m - 1]!; d++) {
      const dd = d < 10 ? `0${d}` : `${d}`;
      BIRTH_COMPACT.push(`${y}${mm}${dd}`);
      BIRTH_ISO.push(`${y}-${mm}-${dd}`);
    }
  }
}

// Lookup tables: number formatting (padStart, toString(36)) dominated the hot path.
const SEQUENCES = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));
const DIGITS4 = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, "0"));
const BASE36_2 = Array.from({ length: 36 * 36 }, (_, i) => i.toString(36).padStart(2, "0"));

// ---------------------------------------------------------------------------
// Unique ID numbers: every (region, birth date, sequence 001-999) combination is an
// index in [0, ID_SPACE). A keyed bijection over 32-bit integers (4-round Feistel)
// restricted to that range by cycle-walking maps a counter to a scattered index,
// so a stream never repeats an ID number within its first ID_SPACE clients
// (databases with a unique blind index on the ID would otherwise reject duplicates).

const DAYS = BIRTH_COMPACT.length;
const ID_SPACE = REGIONS.length * DAYS * 999;
if (ID_SPACE > 2 ** 32) throw new Error("synthetic: ID space exceeds 32 bits");

function feistelRound(half: number, key: number): number {
  let h = Math.imul(half ^ key, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  return (h ^ (h >>> 13)) & 0xffff;
}

function permute32(x: number, keys: Uint32Array): number {
  let left = x >>> 16;
  let right = x & 0xffff;
  for (let i = 0; i < 4; i++) {
    const next = left ^ feistelRound(right, keys[i]!);
    left = right;
    right = next;
  }
  return ((left << 16) | right) >>> 0;
}

// mulberry32: tiny, fast, good enough for synthetic data.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

export function syntheticClients(seed: number): () => SyntheticClient {
  const next = mulberry32(seed);
  const below = (n: number): number => Math.floor((next() / 4294967296) * n);
  const pick = <T>(list: readonly T[]): T => list[below(list.length)]!;
  const keys = Uint32Array.of(next(), next(), next(), next());
  let serial = 0;

  return () => {
    let idx = serial % ID_SPACE;
    do idx = permute32(idx, keys);
    while (idx >= ID_SPACE);
    const seq = idx % 999;
    const rest = (idx - seq) / 999;
    const day = rest % DAYS;
    const region = REGIONS[(rest - day) / DAYS]!;
    const body = region.code + BIRTH_COMPACT[day]! + SEQUENCES[seq + 1]!;

    // ~1% compound surnames, ~30% single-character given names.
    const surname = below(100) === 0 ? pick(COMPOUND_SURNAMES) : pick(SURNAMES);
    const given = below(10) < 3 ? pick(GIVEN) : pick(GIVEN) + pick(GIVEN);

    const address =
      below(3) === 0
        ? `${region.prefix}${pick(COMMUNITIES)}小区${1 + below(30)}号楼${1 + below(6)}单元${1 + below(30)}0${1 + below(4)}室`
        : `${region.prefix}${pick(STREETS)}${1 + below(300)}号${1 + below(8)}单元${1 + below(30)}0${1 + below(4)}室`;

    // Fixed-width random part (6 base36 chars) + serial keeps e-mails unique within a stream.
    const r = next();
    const email = `u${BASE36_2[r % 1296]}${BASE36_2[Math.floor(r / 1296) % 1296]}${BASE36_2[Math.floor(r / 1679616) % 1296]}${serial}@${pick(EMAIL_DOMAINS)}`;
    serial++;

    return {
      kind: "person",
      name: surname + given,
      idType: "resident_id",
      idNumber: body + residentIdCheckChar(body),
      phone: pick(MOBILE_PREFIXES) + DIGITS4[below(10_000)]! + DIGITS4[below(10_000)]!,
      email,
      address,
      birthDate: BIRTH_ISO[day]!,
      notes: pick(NOTES),
    };
  };
}
