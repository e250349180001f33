import { unreachable, type Command } from '@coord/domain'
import type {
  GoalDefined,
  NoData,
  PlanAmended,
  PlanChanges,
  PlanEvent,
  PlanHeader,
  PlanImported,
  PlanIssued,
  PlanSource,
  TargetDefined,
  TargetMeasurementReported,
} from '@coord/events'
import {
  actingBureau,
  fail,
  requireDay,
  requireNumber,
  requireReason,
  requireRole,
  requireText,
  sameJson,
} from '../domain-errors.ts'
import { businessDay } from '../task/calendar.ts'
import { nextId, type ExistingPlan, type Plan, type Target } from './plan.ts'
import {
  checkChanges,
  checkHeader,
  checkSource,
  checkTarget,
  sameTargetSlot,
  type TargetInput,
} from './plan-values.ts'

/** The parsed plan document; its targets become T1, T2… in the order given. */
export type ImportPlan = Command<
  'ImportPlan',
  PlanHeader & { planId: string; source: PlanSource; targets: TargetInput[] }
>
export type IssuePlan = Command<'IssuePlan', NoData>
export type AmendPlan = Command<'AmendPlan', { reason: string; changes: PlanChanges }>
export type DefineGoal = Command<'DefineGoal', { text: string }>
export type DefineTarget = Command<'DefineTarget', TargetInput>
/** `bureauId` lets the plan office report for a bureau; a bureau always reports for itself. */
export type ReportTargetMeasurement = Command<
  'ReportTargetMeasurement',
  { targetId: string; value: number; asOf: string; note?: string; bureauId?: string }
>

export type PlanCommand =
  ImportPlan | IssuePlan | AmendPlan | DefineGoal | DefineTarget | ReportTargetMeasurement

function existing(state: Plan): ExistingPlan {
  if (state.status === 'none') throw fail('PLAN_NOT_FOUND')
  return state
}

/** Importing the same document again (same hash) is a retry and records nothing. */
export function importPlan(command: ImportPlan, state: Plan): PlanEvent[] {
  requireRole(command.metadata.actor, ['planner'], 'import a plan')
  const { data } = command
  const source = checkSource(data.source)
  if (state.status !== 'none') {
    if (state.source.sha256 === source.sha256) return []
    throw fail('PLAN_ALREADY_IMPORTED', state.planId)
  }
  const imported: PlanImported = {
    type: 'PlanImported',
    data: { planId: requireText(data.planId, 'planId'), ...checkHeader(data), source },
  }
  if (!Array.isArray(data.targets)) throw fail('INVALID_VALUE', 'targets must be a list')
  const targets = data.targets.map((input, i) => checkTarget(input, `targets[${i}]`))
  targets.forEach((target, i) => {
    if (targets.slice(0, i).some((earlier) => sameTargetSlot(earlier, target))) {
      throw fail('INVALID_VALUE', `targets[${i}] repeats metric ${target.metric} for the same year`)
    }
  })
  const defined = targets.map((target, i): TargetDefined => ({
    type: 'TargetDefined',
    data: { targetId: nextId('T', i), ...target },
  }))
  return [imported, ...defined]
}

/** Issuing an issued plan is a retry and records nothing. */
export function issuePlan(command: IssuePlan, state: Plan): PlanIssued[] {
  requireRole(command.metadata.actor, ['planner'], 'issue a plan')
  return existing(state).status === 'issued' ? [] : [{ type: 'PlanIssued', data: {} }]
}

/** Records only the fields that differ; an amendment that changes nothing records nothing. */
export function amendPlan(command: AmendPlan, state: Plan): PlanAmended[] {
  requireRole(command.metadata.actor, ['planner'], 'amend a plan')
  const plan = existing(state)
  const reason = requireReason(command.data.reason)
  const checked = checkChanges(command.data.changes)
  const changes = Object.fromEntries(
    Object.entries(checked).filter(([key, value]) => !sameJson(plan[key as keyof PlanHeader], value)),
  ) as PlanChanges
  return Object.keys(changes).length === 0 ? [] : [{ type: 'PlanAmended', data: { reason, changes } }]
}

/** A goal worded exactly like an existing one is a retry and records nothing. */
export function defineGoal(command: DefineGoal, state: Plan): GoalDefined[] {
  requireRole(command.metadata.actor, ['planner'], 'define a goal')
  const plan = existing(state)
  const text = requireText(command.data.text, 'text')
  if (plan.goals.some((goal) => goal.text === text)) return []
  return [{ type: 'GoalDefined', data: { goalId: nextId('G', plan.goals.length), text } }]
}

export function defineTarget(command: DefineTarget, state: Plan): TargetDefined[] {
  requireRole(command.metadata.actor, ['planner'], 'define a target')
  const plan = existing(state)
  const target = checkTarget(command.data, 'target')
  const same = plan.targets.find((known) => sameTargetSlot(known, target))
  if (same !== undefined) {
    const { targetId: _id, latest: _latest, ...definition } = same
    if (sameJson(definition, target)) return []
    throw fail('TARGET_EXISTS', `${same.targetId} measures ${target.metric}`)
  }
  return [{ type: 'TargetDefined', data: { targetId: nextId('T', plan.targets.length), ...target } }]
}

/**
 * Which bureau a measurement is recorded for, after checking the actor may report for it. The
 * plan office may report for itself (null) or for a listed bureau.
 */
function reportingBureau(command: ReportTargetMeasurement, target: Target): string | null {
  const { actor } = command.metadata
  const named = command.data.bureauId
  let bureauId: string | null
  if (actor.role === 'bureau') {
    bureauId = actingBureau(actor, 'report a target measurement')
    if (named !== undefined && named !== bureauId) {
      throw fail('FORBIDDEN_BUREAU', `${bureauId} reports for ${named}`)
    }
  } else {
    bureauId = named === undefined ? null : requireText(named, 'bureauId')
  }
  const listed = target.reportingBureauIds
  if (bureauId !== null && listed.length > 0 && !listed.includes(bureauId)) {
    throw fail('FORBIDDEN_BUREAU', `${target.targetId} is reported by ${listed.join(', ')}`)
  }
  return bureauId
}

export function reportTargetMeasurement(
  command: ReportTargetMeasurement,
  state: Plan,
): TargetMeasurementReported[] {
  requireRole(command.metadata.actor, ['bureau', 'planner'], 'report a target measurement')
  const plan = existing(state)
  const { targetId, note } = command.data
  const target = plan.targets.find((known) => known.targetId === targetId)
  if (target === undefined) throw fail('TARGET_NOT_FOUND', String(targetId))
  const bureauId = reportingBureau(command, target)
  const value = requireNumber(command.data.value, 'value')
  const asOf = requireDay(command.data.asOf, 'asOf')
  const today = businessDay(command.metadata.now)
  if (today === undefined) throw fail('INVALID_DATE', `now: ${command.metadata.now}`)
  if (asOf > today) throw fail('INVALID_DATE', `asOf ${asOf} lies in the future`)
  if (note !== undefined && typeof note !== 'string') throw fail('INVALID_VALUE', 'note must be a string')
  if (plan.status !== 'issued') throw fail('PLAN_NOT_ISSUED')
  const data = { targetId, value, asOf, bureauId, ...(note === undefined ? {} : { note }) }
  return [{ type: 'TargetMeasurementReported', data }]
}

export function decide(command: PlanCommand, state: Plan): PlanEvent[] {
  switch (command.type) {
    case 'ImportPlan':
      return importPlan(command, state)
    case 'IssuePlan':
      return issuePlan(command, state)
    case 'AmendPlan':
      return amendPlan(command, state)
    case 'DefineGoal':
      return defineGoal(command, state)
    case 'DefineTarget':
      return defineTarget(command, state)
    case 'ReportTargetMeasurement':
      return reportTargetMeasurement(command, state)
    default:
      return unreachable(command)
  }
}
