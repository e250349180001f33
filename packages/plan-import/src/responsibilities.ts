import { roundGroups, splitOutside, type Span } from './brackets.ts'
import { concatText, sliceText, trimText, type Text } from './normalise.ts'
import { isOrgName, LEAD_MARK_WORDS, leadingUnits, orgUnits, splitUnits, type UnitRef } from './unit-names.ts'

// Who leads and who takes part, however the document says it: labels (牵头单位：X；配合单位：Y),
// in-place marks (X（牵头）), prose (由X牵头，Y、Z配合 / X会同Y负责) or a bare list in brackets.
// Only 牵头 makes a lead; every other responsible unit is a partner, unless the document notes that
// the first-listed unit leads.

export interface Responsibility {
  readonly leads: string[]
  readonly partners: string[]
}

/** One named unit and the part it was given. `responsible` lists obey the first-listed-leads note. */
export interface Assignment {
  readonly unit: UnitRef
  readonly role: 'lead' | 'partner' | 'responsible'
  /** Which list it came from (a token per list), so the first-listed rule applies per list. */
  readonly list: object
}

const LEAD_LABEL = '牵头(?:责任)?(?:单位|部门)'
const PARTNER_LABEL = '(?:配合|协同|协办|参与|协助|相关|参加)(?:单位|部门)'
const RESPONSIBLE_LABEL = '(?:责任|实施|承办|主责|负责)(?:单位|部门)|责任主体'
export const LABEL = new RegExp(
  `(?:(${LEAD_LABEL})|(${PARTNER_LABEL})|(${RESPONSIBLE_LABEL}))(?:\\s*:\\s*|\\s+)`,
  'g',
)
export const KEYWORD = /牵头|配合|会同|负责|参与|协同|协助|协办|责任单位|责任部门/
const LEAD_MARKS = new RegExp(`\\((?:${LEAD_MARK_WORDS})\\)`, 'g')
const LEAD_MARK_ONLY = new RegExp(`^(?:${LEAD_MARK_WORDS})$`)
const SUBJECT_PREFIX = /^(?:并由|明确由|由|请|责成|并|同时)/
const PARTNER_VERB = /(?:按照职责分工|按职责分工|按职责|分工|共同|具体)?(?:配合|参与|协同|协助|协办|负责)/
// What follows a label is cut at the first piece that is plainly not a name (完成时限：2023年底前).
const NOT_A_NAME = /[\d为是的由在按第]|完成|推进|实施|开展|落实|持续|长期|年底|月底|以前|之前|时限/

/** The units of one list, all given the same role. */
export function assign(units: UnitRef[], role: Assignment['role']): Assignment[] {
  const list = {}
  return units.map((unit) => ({ unit, role, list }))
}

/** The units a clause names before its verb: 区科委 in 由区科委牵头 or 该项工作继续由区科委负责. */
function subjectUnits(text: Text): UnitRef[] | null {
  const trimmed = trimText(text)
  const by = trimmed.norm.lastIndexOf('由')
  if (by > 0) return orgUnits(sliceText(trimmed, by + 1))
  const prefix = SUBJECT_PREFIX.exec(trimmed.norm)?.[0].length ?? 0
  return orgUnits(sliceText(trimmed, prefix))
}

/** 由区政府牵头、各部门参与的联席会议 describes a body, it does not assign the task. */
function isAttributive(rest: string): boolean {
  return /^(?:、[^的]*)?的/.test(rest)
}

function afterTogether(rest: Text): UnitRef[] {
  const together = /会同|联合/.exec(rest.norm)
  return together ? leadingUnits(sliceText(rest, together.index + together[0].length)) : []
}

/** One clause of prose: 由X牵头, X牵头会同Y, X会同Y负责, 会同Y, Y、Z配合. Empty when it is not one. */
export function readClause(clause: Text): Assignment[] {
  const text = trimText(clause)
  // Nothing but names with a lead mark (区知识产权局（牵头）、区市场监管局) lists who is responsible.
  const listed = orgUnits(text)
  if (listed?.some((unit) => unit.lead)) return assign(listed, 'responsible')
  const lead = /牵头/.exec(text.norm)
  const attributive = lead !== null && isAttributive(text.norm.slice(lead.index + 2))
  const leads = lead && !attributive ? subjectUnits(sliceText(text, 0, lead.index)) : null
  if (lead && leads) {
    const rest = sliceText(text, lead.index + 2)
    const more = rest.norm.startsWith('、')
      ? readClause(sliceText(rest, 1))
      : assign(afterTogether(rest), 'partner')
    return [...assign(leads, 'lead'), ...more]
  }
  const together = /会同|联合/.exec(text.norm)
  if (together) {
    const before = sliceText(text, 0, together.index)
    const subject = trimText(before).norm === '' ? [] : subjectUnits(before)
    const others = afterTogether(text)
    if (subject && others.length > 0) return assign([...subject, ...others], 'partner')
  }
  const verb = PARTNER_VERB.exec(text.norm)
  const asVerb =
    verb !== null && verb.index > 0 && !isAttributive(text.norm.slice(verb.index + verb[0].length))
  const partners = verb && asVerb ? subjectUnits(sliceText(text, 0, verb.index)) : null
  return partners ? assign(partners, 'partner') : []
}

function readProse(text: Text): Assignment[] {
  return splitOutside(text, ',;。:').flatMap(readClause)
}

function readLabelled(value: Text, group: number): Assignment[] {
  const cut = value.norm.indexOf('。')
  const units = splitUnits(cut >= 0 ? sliceText(value, 0, cut) : value)
  const names = units.filter(
    (unit) => isOrgName(unit.name) || (unit.name.length > 2 && !NOT_A_NAME.test(unit.name)),
  )
  return assign(names, group === 1 ? 'lead' : group === 2 ? 'partner' : 'responsible')
}

/** A stretch of text with or without labels. */
export function readSegment(text: Text): Assignment[] {
  const labels = [...text.norm.matchAll(LABEL)]
  const first = labels[0]
  if (first === undefined) return readProse(text)
  const found = readProse(sliceText(text, 0, first.index))
  labels.forEach((label, i) => {
    const value = sliceText(text, label.index + label[0].length, labels[i + 1]?.index)
    const group = label[1] !== undefined ? 1 : label[2] !== undefined ? 2 : 3
    found.push(...readLabelled(value, group))
  })
  return found
}

/** Whether the text before `at` ends in a bureau's name, which a bracket right after may belong to. */
function nameBefore(norm: string, at: number): boolean {
  for (let length = 2; length <= Math.min(at, 30); length++) {
    if (isOrgName(norm.slice(at - length, at))) return true
  }
  return false
}

/**
 * A round bracket that states responsibility, e.g. （牵头单位：区科委） or （区科委、区财政局）, as
 * opposed to part of a name (市科技局（市知识产权局）: one name right after another) or an aside.
 */
export function isResponsibilityGroup(text: Text, group: Span): boolean {
  const inner = sliceText(text, group.start + 1, group.end - 1)
  if (LEAD_MARK_ONLY.test(inner.norm.trim())) return false
  if (KEYWORD.test(inner.norm) && readSegment(inner).length > 0) return true
  const listed = orgUnits(inner)
  return listed !== null && (listed.length > 1 || !nameBefore(text.norm, group.start))
}

/**
 * Reads one line: its responsibility brackets first, then what is left around them. A line of
 * nothing but bureau names, under a task, names who is responsible for it.
 */
export function readLine(line: Text): Assignment[] {
  const prose = KEYWORD.test(line.norm.replace(LEAD_MARKS, ''))
  const listed = prose ? null : orgUnits(trimText(line, '。.;'))
  if (listed !== null) return assign(listed, 'responsible')
  const found: Assignment[] = []
  let rest = sliceText(line, 0, 0)
  let from = 0
  for (const group of roundGroups(line.norm)) {
    if (!isResponsibilityGroup(line, group)) continue
    const inner = sliceText(line, group.start + 1, group.end - 1)
    const labelled = KEYWORD.test(inner.norm) ? readSegment(inner) : assign(splitUnits(inner), 'responsible')
    found.push(...labelled)
    rest = concatText(concatText(rest, sliceText(line, from, group.start)), { raw: '，', norm: ',' })
    from = group.end
  }
  return [...found, ...readSegment(concatText(rest, sliceText(line, from)))]
}

/** Leads and partners, each named once, in the order the document names them. */
export function settle(found: readonly Assignment[], firstListedLeads: boolean): Responsibility {
  const markedLists = new Set(found.filter((a) => a.unit.lead).map((a) => a.list))
  const firstOfList = new Set<object>()
  const leads: string[] = []
  const partners: string[] = []
  for (const { unit, role, list } of found) {
    const first = !firstOfList.has(list)
    firstOfList.add(list)
    const implied = role === 'responsible' && firstListedLeads && first && !markedLists.has(list)
    const isLead = role === 'lead' || unit.lead || implied
    if (isLead && !leads.includes(unit.name)) leads.push(unit.name)
  }
  for (const { unit } of found) {
    if (!leads.includes(unit.name) && !partners.includes(unit.name)) partners.push(unit.name)
  }
  return { leads, partners }
}

/** Responsibility stated anywhere in the given lines of one task. */
export function responsibilityOf(lines: readonly Text[], firstListedLeads: boolean): Responsibility {
  return settle(lines.flatMap(readLine), firstListedLeads)
}

// Notes such as （列第一位的为牵头单位） or 排在首位的为牵头部门, usually once per document.
const FIRST_LISTED =
  /(?:排|列|位)[^\n。]{0,6}(?:第一|首)[^\n。]{0,8}牵头|第一[^\n。]{0,6}(?:单位|部门)[^\n。]{0,4}牵头|首(?:位|个|家)[^\n。]{0,6}牵头/

export function notesFirstListedLeads(norm: string): boolean {
  return FIRST_LISTED.test(norm)
}
