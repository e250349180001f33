import { unreachable } from '@coord/domain'
import { resolutionTaskId, type ResolutionEffect } from '@coord/events/meetings'
import { fail, requireDay, requireId, requireReason, requireText } from '../domain-errors.ts'
import type { ResolutionEffectInput } from '../meeting/meeting-commands.ts'

// Validators copy the fields they know into a fresh value, so an event holds exactly the
// catalogue's shape whatever else a caller sent along.

function checkAssignment(leads: unknown, partners: unknown): { leads: string[]; partners: string[] } {
  const valid = (ids: unknown): ids is string[] =>
    Array.isArray(ids) && ids.every((id) => typeof id === 'string' && id.trim() !== '')
  if (!valid(leads) || !valid(partners))
    throw fail('INVALID_ASSIGNMENT', 'bureau ids must be non-empty strings')
  if (leads.length === 0) throw fail('INVALID_ASSIGNMENT', 'no lead bureau')
  const all = [...leads, ...partners]
  if (new Set(all).size !== all.length) throw fail('INVALID_ASSIGNMENT', 'a bureau is named twice')
  return { leads: [...leads], partners: [...partners] }
}

function checkListKind(value: unknown): 'power' | 'responsibility' {
  if (value === 'power' || value === 'responsibility') return value
  throw fail('INVALID_VALUE', "effect.listKind must be 'power' or 'responsibility'")
}

/**
 * The task id an assign-work effect without one gets under `resolutionId` (`resolutionTaskId`).
 * A resolution recorded before long default ids were shortened keeps the id it was given, so a
 * retry or a correction of it still names the task it created.
 */
export function defaultTaskId(meetingId: string, resolutionId: string, recorded?: ResolutionEffect): string {
  const unshortened = `R-${meetingId}-${resolutionId}`
  if (recorded?.kind === 'assign-work' && recorded.taskId === unshortened) return unshortened
  return resolutionTaskId(meetingId, resolutionId)
}

/**
 * The effect as recorded: validated, and an assign-work effect given the task id it defaults to
 * (`defaultTaskId`), so readers of the event need not know the rule.
 */
export function checkEffect(input: ResolutionEffectInput, defaultTask: string): ResolutionEffect {
  const effect = (input ?? {}) as Partial<Record<string, unknown>>
  const planId = () => requireId(effect.planId, 'effect.planId')
  const taskId = () => requireId(effect.taskId, 'effect.taskId')
  switch (effect.kind) {
    case 'assign-work':
      return {
        kind: 'assign-work',
        planId: planId(),
        taskId: effect.taskId === undefined ? defaultTask : taskId(),
        title: requireText(effect.title, 'effect.title'),
        ...checkAssignment(effect.leads, effect.partners),
        deadline: effect.deadline === null ? null : requireDay(effect.deadline, 'effect.deadline'),
      }
    case 'change-deadline':
      return {
        kind: 'change-deadline',
        planId: planId(),
        taskId: taskId(),
        deadline: requireDay(effect.deadline, 'effect.deadline'),
        reason: requireReason(effect.reason),
      }
    case 'change-responsibility':
      return {
        kind: 'change-responsibility',
        planId: planId(),
        taskId: taskId(),
        ...checkAssignment(effect.leads, effect.partners),
      }
    case 'transfer-duty': {
      const fromBureauId = requireId(effect.fromBureauId, 'effect.fromBureauId')
      const toBureauId = requireId(effect.toBureauId, 'effect.toBureauId')
      if (fromBureauId === toBureauId) throw fail('INVALID_VALUE', 'a duty moves to another bureau')
      return {
        kind: 'transfer-duty',
        fromBureauId,
        listKind: checkListKind(effect.listKind),
        dutyId: requireId(effect.dutyId, 'effect.dutyId'),
        toBureauId,
        effectiveDate: requireDay(effect.effectiveDate, 'effect.effectiveDate'),
      }
    }
    case 'record-position':
      return { kind: 'record-position' }
    default:
      throw fail('INVALID_VALUE', `effect.kind is unknown: ${String(effect.kind)}`)
  }
}

/** What an effect acts on: the task, or the duty on a bureau's list; null for a position. */
function targetOf(effect: ResolutionEffect): string | null {
  switch (effect.kind) {
    case 'assign-work':
    case 'change-deadline':
    case 'change-responsibility':
      return `${effect.kind} ${effect.planId} ${effect.taskId}`
    case 'transfer-duty':
      return `${effect.kind} ${effect.fromBureauId} ${effect.listKind} ${effect.dutyId}`
    case 'record-position':
      return null
    default:
      return unreachable(effect)
  }
}

/**
 * A correction fixes what the decision says (text, bureaus, dates); it cannot point the decision
 * at another task or duty, turn it into another kind, or take back a deadline set, because what
 * the first version did elsewhere cannot be undone from here. A position only recorded did
 * nothing, so it may be corrected into any effect.
 */
export function checkCorrection(previous: ResolutionEffect, next: ResolutionEffect): void {
  const before = targetOf(previous)
  if (before === null) return
  if (targetOf(next) !== before) {
    throw fail('CORRECTION_NOT_APPLICABLE', `it acts on ${before}; adopt a new resolution instead`)
  }
  if (previous.kind === 'assign-work' && next.kind === 'assign-work') {
    if (previous.deadline !== null && next.deadline === null) {
      throw fail('CORRECTION_NOT_APPLICABLE', 'a deadline set cannot be taken back, only moved')
    }
  }
}
