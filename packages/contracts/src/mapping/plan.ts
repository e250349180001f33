import type { PlanChanges, PlanEvent, PlanHeader, PlanPeriod, PlanSection } from '@coord/events'
import {
  GoalDefinedSchema,
  PlanAmendedSchema,
  PlanImportedSchema,
  PlanIssuedSchema,
  TargetDefinedSchema,
  TargetMeasurementReportedSchema,
  type PlanChanges as PlanChangesMessage,
  type PlanPeriod as PlanPeriodMessage,
  type PlanSection as PlanSectionMessage,
} from '../gen/coord/v1/plan_events_pb.ts'
import { bare, codec, optional, type CodecTable, type Fields } from './codec.ts'

const period = ({ from, to }: PlanPeriodMessage): PlanPeriod => ({ from, to })
const section = ({ ordinal, title }: PlanSectionMessage): PlanSection => ({ ordinal, title })

// A change wrapper: absent, unchanged; present without a value, cleared (null).
const change = <V>(value: V | null | undefined) =>
  value === undefined ? undefined : { value: value ?? undefined }
const changed = <V>(wrapper: { value?: V | undefined } | undefined) =>
  wrapper === undefined ? undefined : (wrapper.value ?? null)

function changesToFields(changes: PlanChanges): Fields<PlanChangesMessage> {
  return {
    title: changes.title,
    docNumber: change(changes.docNumber),
    issuer: change(changes.issuer),
    issueDate: change(changes.issueDate),
    period: change(changes.period),
    sections: changes.sections === undefined ? undefined : { values: changes.sections },
    safeguards: changes.safeguards === undefined ? undefined : { values: changes.safeguards },
  }
}

function changesFromMessage(message: PlanChangesMessage | undefined): PlanChanges {
  if (message === undefined) return {}
  const periodChange = changed(message.period)
  return {
    ...optional('title', message.title),
    ...optional('docNumber', changed(message.docNumber)),
    ...optional('issuer', changed(message.issuer)),
    ...optional('issueDate', changed(message.issueDate)),
    ...optional(
      'period',
      periodChange === null || periodChange === undefined ? periodChange : period(periodChange),
    ),
    ...optional('sections', message.sections?.values.map(section)),
    ...optional('safeguards', message.safeguards && [...message.safeguards.values]),
  }
}

function headerFromMessage(message: {
  title: string
  docNumber?: string | undefined
  issuer?: string | undefined
  issueDate?: string | undefined
  period?: PlanPeriodMessage | undefined
  sections: PlanSectionMessage[]
  safeguards: string[]
}): PlanHeader {
  return {
    title: message.title,
    docNumber: message.docNumber ?? null,
    issuer: message.issuer ?? null,
    issueDate: message.issueDate ?? null,
    period: message.period ? period(message.period) : null,
    sections: message.sections.map(section),
    safeguards: [...message.safeguards],
  }
}

export const planCodecs: CodecTable<PlanEvent> = {
  PlanImported: codec(
    PlanImportedSchema,
    (data) => ({
      ...data,
      docNumber: data.docNumber ?? undefined,
      issuer: data.issuer ?? undefined,
      issueDate: data.issueDate ?? undefined,
      period: data.period ?? undefined,
    }),
    (message) => ({
      planId: message.planId,
      ...headerFromMessage(message),
      source: { ...optional('fileName', message.source?.fileName), sha256: message.source?.sha256 ?? '' },
    }),
  ),
  PlanIssued: bare(PlanIssuedSchema),
  PlanAmended: codec(
    PlanAmendedSchema,
    (data) => ({ reason: data.reason, changes: changesToFields(data.changes) }),
    (message) => ({ reason: message.reason, changes: changesFromMessage(message.changes) }),
  ),
  GoalDefined: codec(
    GoalDefinedSchema,
    (data) => data,
    ({ goalId, text }) => ({ goalId, text }),
  ),
  TargetDefined: codec(
    TargetDefinedSchema,
    (data) => ({ ...data, baseline: data.baseline ?? undefined, deadline: data.deadline ?? undefined }),
    (message) => ({
      targetId: message.targetId,
      metric: message.metric,
      text: message.text,
      baseline: message.baseline ?? null,
      value: message.value,
      unit: message.unit,
      deadline: message.deadline ?? null,
      reportingBureauIds: [...message.reportingBureauIds],
    }),
  ),
  TargetMeasurementReported: codec(
    TargetMeasurementReportedSchema,
    (data) => ({ ...data, bureauId: data.bureauId ?? undefined }),
    (message) => ({
      targetId: message.targetId,
      value: message.value,
      asOf: message.asOf,
      bureauId: message.bureauId ?? null,
      ...optional('note', message.note),
    }),
  ),
}
