import { unreachable, type Command } from '@coord/domain'
import type {
  BureauRenameDecided,
  BureauSplit,
  BureausMerged,
  ReorganisationCompleted,
  ReorganisationDecision,
  ReorganisationEvent,
} from '@coord/events/responsibility'
import { covers, type Span } from '../days.ts'
import {
  fail,
  requireDay,
  requireIds,
  requireReason,
  requireRole,
  requireText,
  sameJson,
} from '../domain-errors.ts'
import { endingBureaus, successorsOf, type Reorganisation } from './reorganisation.ts'

/** What the edge read about the bureaus a reorganisation names. */
export interface ReorganisationFacts {
  /** Each bureau's lifetime; null when it is not registered. */
  bureaus: Record<string, Span | null>
  /** The latest effective date recorded for each ending bureau, on its stream or its lists. */
  lastChanges: Record<string, string | null>
  /** The day each bureau a rename names took its current name; null when it is not registered. */
  namedFrom: Record<string, string | null>
}

export type MergeBureaus = Command<'MergeBureaus', BureausMerged['data']> & { facts: ReorganisationFacts }
export type SplitBureau = Command<
  'SplitBureau',
  Omit<BureauSplit['data'], 'dutyAllocation' | 'taskAllocation'> & {
    dutyAllocation?: Record<string, string>
    taskAllocation?: Record<string, string>
  }
> & { facts: ReorganisationFacts }
export type RenameBureauByReorganisation = Command<
  'RenameBureauByReorganisation',
  BureauRenameDecided['data']
> & {
  facts: ReorganisationFacts
}
/** Sent by the process manager once every follow-up is applied. */
export type CompleteReorganisation = Command<
  'CompleteReorganisation',
  Omit<ReorganisationCompleted['data'], 'reorganisationId'>
>

export type ReorganisationCommand =
  MergeBureaus | SplitBureau | RenameBureauByReorganisation | CompleteReorganisation

function checkAllocation(allocation: unknown, field: string, successors: string[]): Record<string, string> {
  if (allocation === undefined) return {}
  if (typeof allocation !== 'object' || allocation === null || Array.isArray(allocation))
    throw fail('INVALID_VALUE', `${field} must map ids to successors`)
  for (const [key, to] of Object.entries(allocation)) {
    requireText(key, `${field} key`)
    if (!successors.includes(to as string))
      throw fail('INVALID_REORGANISATION', `${field}: ${key} goes to ${String(to)}, not a successor`)
  }
  return { ...(allocation as Record<string, string>) }
}

function lifetime(facts: ReorganisationFacts, bureauId: string): Span {
  const span = Object.hasOwn(facts.bureaus, bureauId) ? facts.bureaus[bureauId] : null
  if (!span) throw fail('BUREAU_NOT_FOUND', bureauId)
  return span
}

/**
 * Records the decision once: the same decision again is a retry and records nothing; another one
 * under the same id is refused. The bureaus must exist on the day it takes effect, an ending
 * bureau must have existed before it and have nothing recorded for later days, a successor
 * must not be dissolved itself, and a renamed bureau must have no name from a later day.
 */
function decideOnce(
  state: Reorganisation,
  decision: ReorganisationDecision,
  facts: ReorganisationFacts,
): ReorganisationDecision[] {
  if (state.status !== 'none') {
    if (sameJson(state.decision, decision)) return []
    throw fail('REORGANISATION_EXISTS', decision.data.reorganisationId)
  }
  const day = decision.data.effectiveDate
  const ending = decision.type === 'BureauRenameDecided' ? [] : endingBureaus(decision)
  const continuing =
    decision.type === 'BureauRenameDecided' ? [decision.data.bureauId] : successorsOf(decision)
  for (const bureauId of ending) {
    const span = lifetime(facts, bureauId)
    if (!covers(span, day) || span.from === day) throw fail('BUREAU_NOT_ACTIVE', `${bureauId} on ${day}`)
    // Ending a bureau before changes already recorded for later days would rewrite them.
    const last = Object.hasOwn(facts.lastChanges, bureauId) ? facts.lastChanges[bureauId] : null
    if (last && last > day) throw fail('EFFECTIVE_DATE_OUT_OF_ORDER', `${bureauId} has a change from ${last}`)
  }
  for (const bureauId of continuing) {
    const span = lifetime(facts, bureauId)
    if (!covers(span, day)) throw fail('BUREAU_NOT_ACTIVE', `${bureauId} on ${day}`)
    // A name takes effect after the one before it, as the rename step will require.
    const named = Object.hasOwn(facts.namedFrom, bureauId) ? facts.namedFrom[bureauId] : null
    if (decision.type === 'BureauRenameDecided' && named && named > day)
      throw fail('EFFECTIVE_DATE_OUT_OF_ORDER', `${bureauId} has its latest name from ${named}`)
    // A successor takes duties open-ended, so it must not be ending itself.
    if (decision.type !== 'BureauRenameDecided' && span.until !== null)
      throw fail('BUREAU_NOT_ACTIVE', `${bureauId} is dissolved from ${span.until}`)
  }
  return [decision]
}

function common(data: { reorganisationId: string; effectiveDate: string; reason: string }) {
  return {
    reorganisationId: requireText(data.reorganisationId, 'reorganisationId'),
    effectiveDate: requireDay(data.effectiveDate, 'effectiveDate'),
    reason: requireReason(data.reason),
  }
}

export function mergeBureaus(command: MergeBureaus, state: Reorganisation): ReorganisationDecision[] {
  requireRole(command.metadata.actor, ['planner'], 'merge bureaus')
  const { data } = command
  const fromBureauIds = requireIds(data.fromBureauIds, 'fromBureauIds', 1)
  const intoBureauId = requireText(data.intoBureauId, 'intoBureauId')
  if (fromBureauIds.includes(intoBureauId))
    throw fail('INVALID_REORGANISATION', `${intoBureauId} cannot merge into itself`)
  const { reorganisationId, effectiveDate, reason } = common(data)
  const merged = { reorganisationId, fromBureauIds, intoBureauId, effectiveDate, reason }
  return decideOnce(state, { type: 'BureausMerged', data: merged }, command.facts)
}

export function splitBureau(command: SplitBureau, state: Reorganisation): ReorganisationDecision[] {
  requireRole(command.metadata.actor, ['planner'], 'split a bureau')
  const { data } = command
  const fromBureauId = requireText(data.fromBureauId, 'fromBureauId')
  const intoBureauIds = requireIds(data.intoBureauIds, 'intoBureauIds', 2)
  if (intoBureauIds.includes(fromBureauId))
    throw fail('INVALID_REORGANISATION', `${fromBureauId} cannot be its own successor`)
  const dutyAllocation = checkAllocation(data.dutyAllocation, 'dutyAllocation', intoBureauIds)
  const taskAllocation = checkAllocation(data.taskAllocation, 'taskAllocation', intoBureauIds)
  const { reorganisationId, effectiveDate, reason } = common(data)
  const split = {
    reorganisationId,
    fromBureauId,
    intoBureauIds,
    dutyAllocation,
    taskAllocation,
    effectiveDate,
    reason,
  }
  return decideOnce(state, { type: 'BureauSplit', data: split }, command.facts)
}

export function renameByReorganisation(
  command: RenameBureauByReorganisation,
  state: Reorganisation,
): ReorganisationDecision[] {
  requireRole(command.metadata.actor, ['planner'], 'rename a bureau in a reorganisation')
  const { data } = command
  const names = {
    nameZh: requireText(data.nameZh, 'nameZh'),
    nameEn: requireText(data.nameEn, 'nameEn'),
    shortName: requireText(data.shortName, 'shortName'),
  }
  const bureauId = requireText(data.bureauId, 'bureauId')
  const { reorganisationId, effectiveDate, reason } = common(data)
  const renamed = { reorganisationId, bureauId, ...names, effectiveDate, reason }
  return decideOnce(state, { type: 'BureauRenameDecided', data: renamed }, command.facts)
}

/** Completing twice records nothing: the first completion stands. */
export function completeReorganisation(
  command: CompleteReorganisation,
  state: Reorganisation,
): ReorganisationCompleted[] {
  requireRole(command.metadata.actor, ['system'], 'complete a reorganisation')
  if (state.status === 'none') throw fail('REORGANISATION_NOT_FOUND')
  if (state.status === 'completed') return []
  const { steps, refused } = command.data
  if (!Number.isSafeInteger(steps) || steps < 0) throw fail('INVALID_VALUE', 'steps must be a count')
  const { reorganisationId } = state.decision.data
  const completed = { reorganisationId, steps, refused: refused.map(({ step, code }) => ({ step, code })) }
  return [{ type: 'ReorganisationCompleted', data: completed }]
}

/** The bureaus a decision names, the ending ones first; the edge reads their facts. */
export function bureausNamedBy(
  command: Pick<Exclude<ReorganisationCommand, CompleteReorganisation>, 'type' | 'data'>,
): string[] {
  const ids = (value: unknown): string[] =>
    Array.isArray(value) ? value.filter((id) => typeof id === 'string') : []
  const c = command as Exclude<ReorganisationCommand, CompleteReorganisation>
  switch (c.type) {
    case 'MergeBureaus':
      return [...ids(c.data.fromBureauIds), c.data.intoBureauId]
    case 'SplitBureau':
      return [c.data.fromBureauId, ...ids(c.data.intoBureauIds)]
    case 'RenameBureauByReorganisation':
      return [c.data.bureauId]
    default:
      return unreachable(c)
  }
}

/** The bureaus a decision ends. */
export function bureausEndedBy(
  command: Pick<Exclude<ReorganisationCommand, CompleteReorganisation>, 'type' | 'data'>,
): string[] {
  const c = command as Exclude<ReorganisationCommand, CompleteReorganisation>
  if (c.type === 'MergeBureaus') return Array.isArray(c.data.fromBureauIds) ? [...c.data.fromBureauIds] : []
  return c.type === 'SplitBureau' ? [c.data.fromBureauId] : []
}

export function decide(command: ReorganisationCommand, state: Reorganisation): ReorganisationEvent[] {
  switch (command.type) {
    case 'MergeBureaus':
      return mergeBureaus(command, state)
    case 'SplitBureau':
      return splitBureau(command, state)
    case 'RenameBureauByReorganisation':
      return renameByReorganisation(command, state)
    case 'CompleteReorganisation':
      return completeReorganisation(command, state)
    default:
      return unreachable(command)
  }
}
