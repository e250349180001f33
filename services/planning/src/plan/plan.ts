import { unreachable } from '@coord/domain'
import type { PlanEvent, PlanHeader, PlanSource, TargetDefinition } from '@coord/events'

export interface Goal {
  goalId: string
  text: string
}

export interface Measurement {
  value: number
  asOf: string
  bureauId: string | null
}

export interface Target extends TargetDefinition {
  targetId: string
  /** The measurement with the latest `asOf`; a late report of an older date does not replace it. */
  latest: Measurement | null
}

export interface PlanFacts extends PlanHeader {
  planId: string
  source: PlanSource
  goals: Goal[]
  targets: Target[]
  /** How many amendments were recorded; the imported text is amendment 0. */
  amendments: number
}

/** A plan stream: nothing yet, or a plan imported from its document and perhaps issued. */
export type Plan = { status: 'none' } | (PlanFacts & { status: 'imported' | 'issued' })

export type ExistingPlan = Exclude<Plan, { status: 'none' }>

export const initialState: Plan = { status: 'none' }

export function evolve(state: Plan, event: PlanEvent): Plan {
  if (event.type === 'PlanImported') {
    const { planId, source, ...header } = event.data
    return { status: 'imported', planId, source, ...header, goals: [], targets: [], amendments: 0 }
  }
  // Every other event extends an imported plan; a stream that starts elsewhere is not a plan.
  if (state.status === 'none') return state
  switch (event.type) {
    case 'PlanIssued':
      return { ...state, status: 'issued' }
    case 'PlanAmended':
      return { ...state, ...event.data.changes, amendments: state.amendments + 1 }
    case 'GoalDefined':
      return { ...state, goals: [...state.goals, { ...event.data }] }
    case 'TargetDefined':
      return { ...state, targets: [...state.targets, { ...event.data, latest: null }] }
    case 'TargetMeasurementReported': {
      const { targetId, value, asOf, bureauId } = event.data
      const targets = state.targets.map((target) =>
        target.targetId === targetId && (target.latest === null || target.latest.asOf <= asOf)
          ? { ...target, latest: { value, asOf, bureauId } }
          : target,
      )
      return { ...state, targets }
    }
    default:
      return unreachable(event)
  }
}

/** The id the next goal or target gets: G1, G2… and T1, T2…, in order of definition. */
export function nextId(prefix: 'G' | 'T', count: number): string {
  return `${prefix}${count + 1}`
}
