import { splitOutside } from './brackets.ts'
import { sliceText, toText, trimText, type Text } from './normalise.ts'

// Responsibility prose is only trusted when every name in it looks like an organisation: that is
// what keeps 协查配合 or 公众参与 inside a task sentence from being read as a partner bureau.
// Function words (由, 的, 在, …) and punctuation never occur inside a bureau's name.

const ORG_END =
  /(?:局|委|办|政府|办公室|中心|院|会|部|部门|厅|署|所|站|队|处|室|组|馆|公司|集团|银行|分行|支行|街道|镇|乡|单位|机构|大学|学校|协会|开发区|园区|新区|片区|法院|检察院|联席会议|专班)$/
const NOT_ORG =
  /(?:社会|机会|体会|年会|大会|全会|例会|展会|博览会|交易会|研讨会|座谈会|发布会|推介会|洽谈会|全部|内部|外部|局部|干部|^部门|^单位|^机构)$/
// Task prose that happens to end like a name: 依托上海大学, 建立…工作站.
const PROSE_START =
  /^(?:依托|依靠|建立|建设|推动|推进|支持|加强|完善|健全|深化|探索|通过|发挥|鼓励|引导|开展|设立|成立|培育|打造|形成|围绕|聚焦|同意|要求|明确|研究|对|与|和|及)/
export const LEAD_MARK_WORDS = '牵头|牵头单位|牵头部门|牵头负责|主责|主责单位'
const LEAD_MARK = new RegExp(`^\\((?:${LEAD_MARK_WORDS})\\)$`)
const TRAILING_WORD = /(?:牵头负责|牵头|配合|负责|参与|协同|协助|协办)$/
const TRAILING_ETC = /等(?:有关|相关)?(?:部门|单位)?$/
const LEADING_WORD = /^(?:以及|由|会同|并|请|和|及|与)/
const JOINER = /以及|和|及|与/g

export interface UnitRef {
  readonly name: string
  /** Marked as leading in place: 区科委（牵头）. */
  readonly lead: boolean
}

/** True when `norm` reads as the name of a bureau or other body: 区科委, 市科技局（市知识产权局）. */
export function isOrgName(norm: string): boolean {
  const core = norm.replace(/\([^()]*\)$/, '')
  if (core.length < 2 || core.length > 30 || /[\d的由在将把被向按:;,。!?]/.test(core)) return false
  return ORG_END.test(core) && !NOT_ORG.test(core) && !PROSE_START.test(core)
}

function cleanUnit(piece: Text): UnitRef | null {
  let text = trimText(piece, ':,.。;')
  let lead = false
  const mark = /\([^()]*\)$/.exec(text.norm)
  if (mark && LEAD_MARK.test(mark[0])) {
    lead = true
    text = trimText(sliceText(text, 0, mark.index))
  }
  const leading = LEADING_WORD.exec(text.norm)
  if (leading) text = sliceText(text, leading[0].length)
  const word = TRAILING_WORD.exec(text.norm)
  if (word && text.norm.length > word[0].length + 1) {
    if (word[0].startsWith('牵头')) lead = true
    text = sliceText(text, 0, word.index)
  }
  const etc = TRAILING_ETC.exec(text.norm)
  if (etc && etc.index > 1) text = sliceText(text, 0, etc.index)
  text = trimText(text)
  return text.norm === '' ? null : { name: text.raw, lead }
}

/** Splits 区科委和区财政局 but not 区人力资源和社会保障局: only where the left side is a name itself. */
function splitJoined(piece: Text): Text[] {
  for (const match of piece.norm.matchAll(JOINER)) {
    const left = trimText(sliceText(piece, 0, match.index))
    if (isOrgName(left.norm)) return [left, ...splitJoined(sliceText(piece, match.index + match[0].length))]
  }
  return [piece]
}

/** The names in a list such as 区知识产权局（牵头）、区市场监管局、各街镇等. */
export function splitUnits(list: Text): UnitRef[] {
  return splitOutside(list, '、,;/ \t')
    .flatMap(splitJoined)
    .flatMap((piece) => cleanUnit(piece) ?? [])
}

/** The list only when every name in it looks like an organisation; null otherwise. */
export function orgUnits(list: Text): UnitRef[] | null {
  const units = splitUnits(list)
  if (units.length === 0) return null
  return units.every((unit) => isOrgName(toText(unit.name).norm)) ? units : null
}

/**
 * Where the name at the start of `text` ends: at the first point where it reads as a name, carried
 * on over short stretches that complete a longer one (区发展和改革委 → 委员会, 人民银行 → 上海分行)
 * and over a bracket that belongs to it, but not into the prose after it (区知识产权局研究制定…办).
 */
function nameEnd(norm: string): number {
  const ends: number[] = []
  for (let end = 2; end <= Math.min(norm.length, 40); end++) if (isOrgName(norm.slice(0, end))) ends.push(end)
  let end = ends[0] ?? 0
  for (const next of ends) if (next - end <= 6) end = next
  const bracket = /^\([^()]*\)/.exec(norm.slice(end))
  return end > 0 && bracket ? end + bracket[0].length : end
}

/** Names at the start of `text` before the prose goes on: 区财政局、区商务委共同推进 gives both. */
export function leadingUnits(text: Text): UnitRef[] {
  const pieces = splitOutside(text, '、')
  const last = pieces.pop()
  if (last === undefined) return []
  const rest = pieces.map((piece) => orgUnits(piece))
  const end = nameEnd(trimText(last).norm)
  const head = end > 0 ? orgUnits(sliceText(trimText(last), 0, end)) : null
  if (head === null || !rest.every((units) => units !== null)) return []
  return [...rest.flat(), ...head]
}
