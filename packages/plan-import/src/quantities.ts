// Quantities in goal sentences: a number as printed and the unit after it (48件, 1.8万件, 30%),
// with the qualifiers that surround targets (以上, 突破, 累计) kept out of the unit.

const UNITS = [
  ...['个百分点', '百分点', '个工作日', '工作日', '个月', '人次', '件次', '家次', '平方公里', '平方米'],
  ...['公里', '千米', '美元', '元', '件', '个', '家', '项', '人', '名', '位', '所', '座', '场', '期', '批'],
  ...['户', '套', '台', '条', '部', '篇', '种', '类', '门', '份', '册', '张', '本', '次', '倍', '亩', '吨'],
  ...['处', '支', '只', '款', '例', '起', '宗', '笔', '分', '天', '小时', '%', '‰'],
]
// 每万人口 and 第3批 carry numbers that are not amounts. Thousands are grouped with a comma (10,000)
// or, as GB/T 15835 prints them, a space (10 000).
const QUANTITY = new RegExp(
  `(?<![\\d.每第]|\\d[, ])(\\d+(?:[, ]\\d{3}(?!\\d))*(?:\\.\\d+)?)\\s*[余多]?\\s*([十百千万亿]*)\\s*[余多]?\\s*(${UNITS.join('|')})`,
  'g',
)

export interface Quantity {
  /** Offsets of the number and of the end of its unit in the searched string. */
  readonly start: number
  readonly end: number
  readonly value: number
  readonly unit: string
}

export function quantitiesIn(norm: string): Quantity[] {
  return [...norm.matchAll(QUANTITY)].map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
    value: Number((match[1] ?? '').replace(/[, ]/g, '')),
    unit: `${match[2] ?? ''}${match[3] ?? ''}`,
  }))
}

export const TARGET_VERB =
  /(?:达到|达|超过|突破|(?:提高|提升|增加|增长|上升|扩大|降低|下降|缩短|压缩)(?:到|至)|增至|降至|控制在|保持在|稳定在|不少于|不低于|不超过|低于|高于|力争|新增|累计|年均增长|增长|提高|提升|增加|为)/g
// A marker counts when a year or figure follows it: 从业人员 is a name, 从2020年的 a starting point.
const BASELINE_MARK = /(?:从|由|比|较|相比|同比)\s*(?:\d|上年|去年)|基础上|现有|目前|原有/
const BASELINE_YEAR = /(?:19|20)\d{2}\s*年(?:底|末)?\s*(?:为|是|的|:)\s*$/
const RISES_FROM = /^\s*(?:以上|左右)?\s*(?:提高|提升|增加|增长|上升|扩大|下降|降低|减少|压缩|缩短)(?:到|至)/

/**
 * A figure the goal starts from rather than aims at: 从30件提高到50件 (30), 比2020年的30件,
 * 2020年为30件. A verb between the marker and the figure (比2020年增长1倍) makes it a target again.
 */
export function isBaseline(sentence: string, quantity: Quantity): boolean {
  const before = sentence.slice(0, quantity.start)
  const verbs = [...before.matchAll(TARGET_VERB)]
  const last = verbs.at(-1)
  const zone = last === undefined ? before : before.slice(last.index + last[0].length)
  if (BASELINE_MARK.test(zone) || BASELINE_YEAR.test(before)) return true
  return RISES_FROM.test(sentence.slice(quantity.end))
}
