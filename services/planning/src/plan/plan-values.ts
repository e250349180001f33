import type {
  PlanChanges,
  PlanHeader,
  PlanPeriod,
  PlanSection,
  PlanSource,
  TargetDefinition,
} from '@coord/events'
import {
  fail,
  requireDay,
  requireDistinctTexts,
  requireNumber,
  requireText,
  requireTexts,
  requireYear,
} from '../domain-errors.ts'

// Validators copy the fields they know into a fresh value, so an event holds exactly the
// catalogue's shape whatever else a caller sent along.

/** A target as the importer or the plan office states it; the decider completes the defaults. */
export interface TargetInput {
  metric: string
  text: string
  value: number
  unit: string
  deadline: string | null
  baseline?: number | null
  reportingBureauIds?: string[]
}

function requireList(values: unknown, field: string): unknown[] {
  if (!Array.isArray(values)) throw fail('INVALID_VALUE', `${field} must be a list`)
  return values
}

function checkPeriod(value: unknown): PlanPeriod {
  const period = (value ?? {}) as Partial<PlanPeriod>
  const from = requireYear(period.from, 'period.from')
  const to = requireYear(period.to, 'period.to')
  if (from > to) throw fail('INVALID_DATE', `period ends (${to}) before it starts (${from})`)
  return { from, to }
}

function checkSections(value: unknown): PlanSection[] {
  return requireList(value, 'sections').map((item, i) => {
    const section = (item ?? {}) as Partial<PlanSection>
    return {
      ordinal: requireText(section.ordinal, `sections[${i}].ordinal`),
      title: requireText(section.title, `sections[${i}].title`),
    }
  })
}

/** Null, or what `check` accepts: header fields a document may not state. */
function orNull<T>(check: (value: unknown) => T): (value: unknown) => T | null {
  return (value) => (value === null ? null : check(value))
}

const headerFields: { [K in keyof PlanHeader]-?: (value: unknown) => PlanHeader[K] } = {
  title: (v) => requireText(v, 'title'),
  docNumber: orNull((v) => requireText(v, 'docNumber')),
  issuer: orNull((v) => requireText(v, 'issuer')),
  issueDate: orNull((v) => requireDay(v, 'issueDate')),
  period: orNull(checkPeriod),
  sections: checkSections,
  safeguards: (v) => requireTexts(v, 'safeguards'),
}

const headerKeys = Object.keys(headerFields) as (keyof PlanHeader)[]

export function checkHeader(data: PlanHeader): PlanHeader {
  return {
    title: headerFields.title(data.title),
    docNumber: headerFields.docNumber(data.docNumber),
    issuer: headerFields.issuer(data.issuer),
    issueDate: headerFields.issueDate(data.issueDate),
    period: headerFields.period(data.period),
    sections: headerFields.sections(data.sections),
    safeguards: headerFields.safeguards(data.safeguards),
  }
}

/** The header fields an amendment names, validated; unknown names are refused, not dropped. */
export function checkChanges(changes: PlanChanges): PlanChanges {
  if (typeof changes !== 'object' || changes === null) throw fail('AMENDMENT_EMPTY')
  const checked: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue
    if (!headerKeys.includes(key as keyof PlanHeader)) throw fail('INVALID_VALUE', `${key} cannot be amended`)
    checked[key] = headerFields[key as keyof PlanHeader](value)
  }
  if (Object.keys(checked).length === 0) throw fail('AMENDMENT_EMPTY')
  return checked
}

export function checkSource(value: unknown): PlanSource {
  const source = (value ?? {}) as Partial<PlanSource>
  if (typeof source.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(source.sha256)) {
    throw fail('INVALID_VALUE', 'source.sha256 must be 64 lowercase hex digits')
  }
  if (source.fileName === undefined) return { sha256: source.sha256 }
  return { fileName: requireText(source.fileName, 'source.fileName'), sha256: source.sha256 }
}

export function checkTarget(input: TargetInput, field: string): TargetDefinition {
  const baseline = input.baseline ?? null
  const deadline = input.deadline ?? null
  return {
    metric: requireText(input.metric, `${field}.metric`),
    text: requireText(input.text, `${field}.text`),
    baseline: baseline === null ? null : requireNumber(baseline, `${field}.baseline`),
    value: requireNumber(input.value, `${field}.value`),
    unit: requireText(input.unit, `${field}.unit`),
    deadline: deadline === null ? null : requireYear(deadline, `${field}.deadline`),
    reportingBureauIds: requireDistinctTexts(input.reportingBureauIds ?? [], `${field}.reportingBureauIds`),
  }
}

/** A plan has one target per metric and deadline year; milestones of one metric differ by year. */
export function sameTargetSlot(a: TargetDefinition, b: TargetDefinition): boolean {
  return a.metric === b.metric && a.deadline === b.deadline
}
