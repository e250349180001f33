// The JSON shape printed by `coord plan import FILE --dry-run --json`. Key order matters: it is the
// order the CLI prints and the order documented in the README.

export interface PlanSection {
  /** The part number as printed: 一, 二, … */
  readonly ordinal: string
  readonly title: string
}

export interface PlanTarget {
  /** The clause that states the target, as printed. */
  readonly text: string
  /** The indicator's name: 每万人口发明专利拥有量. */
  readonly metric: string
  readonly value: number
  /** What follows the number, without qualifiers: 万件 for 1.8万件以上. */
  readonly unit: string
  /** YYYY, or null when no year applies. */
  readonly deadline: string | null
}

export interface PlanTask {
  /** Numbering path with ASCII brackets: 三.(二).5 */
  readonly id: string
  readonly title: string
  readonly leads: string[]
  readonly partners: string[]
}

export interface ParsedPlan {
  readonly title: string
  readonly docNumber: string | null
  readonly issuer: string | null
  /** YYYY-MM-DD */
  readonly issueDate: string | null
  /** YYYY-YYYY or YYYY */
  readonly period: string | null
  readonly sections: PlanSection[]
  readonly targets: PlanTarget[]
  readonly tasks: PlanTask[]
  readonly taskCount: number
  readonly safeguards: string[]
}

/** The genre of a document; kept out of ParsedPlan so that its JSON shape stays as documented. */
export type PlanKind = 'plan' | 'task-division' | 'minutes'
