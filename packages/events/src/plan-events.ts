import type { EventOf, NoData } from './event-of.ts'

/** A numbered part of the plan text, e.g. `{ ordinal: '三', title: '重点工作' }`. */
export interface PlanSection {
  ordinal: string
  title: string
}

/** The years the plan runs, e.g. `{ from: '2017', to: '2019' }` (both 'YYYY', inclusive). */
export interface PlanPeriod {
  from: string
  to: string
}

/** The document a plan was imported from; the hash lets an auditor match it to the file. */
export interface PlanSource {
  fileName?: string
  /** SHA-256 of the source text, 64 lowercase hex digits. */
  sha256: string
}

/**
 * The metadata of a plan as printed on the document. Only the title is certain: a plan text may
 * lack a document number, issuer line, date or period, and is imported all the same (null), so the
 * plan office can fill them in by amendment rather than retype the plan.
 */
export interface PlanHeader {
  title: string
  /** The document number, e.g. 浦府〔2017〕94号. */
  docNumber: string | null
  issuer: string | null
  /** 'YYYY-MM-DD'. */
  issueDate: string | null
  period: PlanPeriod | null
  sections: PlanSection[]
  /** The safeguard measures (保障措施), one entry per measure. */
  safeguards: string[]
}

export type PlanImported = EventOf<'PlanImported', PlanHeader & { planId: string; source: PlanSource }>

/** The plan office put the imported plan in force on the platform. */
export type PlanIssued = EventOf<'PlanIssued', NoData>

/** The header fields an amendment replaces; absent fields stay as they were. */
export type PlanChanges = Partial<PlanHeader>

export type PlanAmended = EventOf<'PlanAmended', { reason: string; changes: PlanChanges }>

export type GoalDefined = EventOf<'GoalDefined', { goalId: string; text: string }>

/** An indicator the plan commits to, e.g. 每万人口发明专利拥有量 48 件 by 2019. */
export interface TargetDefinition {
  metric: string
  text: string
  baseline: number | null
  value: number
  unit: string
  /** The year the value is due, 'YYYY'; null when the plan names none. */
  deadline: string | null
  /** Bureaus that report measurements; empty: any bureau may. */
  reportingBureauIds: string[]
}

export type TargetDefined = EventOf<'TargetDefined', TargetDefinition & { targetId: string }>

export type TargetMeasurementReported = EventOf<
  'TargetMeasurementReported',
  {
    targetId: string
    value: number
    /** The date the value holds for, 'YYYY-MM-DD'. */
    asOf: string
    /** The bureau the value was reported by or for; null when the plan office reports for itself. */
    bureauId: string | null
    note?: string
  }
>

export type PlanEvent =
  PlanImported | PlanIssued | PlanAmended | GoalDefined | TargetDefined | TargetMeasurementReported

export type PlanEventType = PlanEvent['type']
