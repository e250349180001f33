import { errorCatalogue, type CommandActor, type DomainError } from '@coord/domain'
import type { Evidence } from '@coord/events'
import { isDay, isYear } from './task/calendar.ts'

/**
 * Every code the Plan and Task deciders and the plan import raise. 400: a value is malformed; 403:
 * the actor may not do this; 404: what the command names does not exist; 409: the aggregate's
 * state forbids it now; 422: a document reads but says something that cannot be imported.
 */
export const planningErrors = errorCatalogue({
  INVALID_VALUE: { status: 400, message: 'a field is empty or has an invalid value' },
  INVALID_DATE: { status: 400, message: 'a date is not a calendar day YYYY-MM-DD, or a year not YYYY' },
  INVALID_PERCENT: { status: 400, message: 'a percentage must be a number from 0 to 100' },
  INVALID_ASSIGNMENT: {
    status: 400,
    message: 'an assignment needs at least one lead and no bureau twice, as lead or partner',
  },
  REASON_REQUIRED: { status: 400, message: 'this change needs a reason' },
  AMENDMENT_EMPTY: { status: 400, message: 'an amendment must change at least one field' },
  FORBIDDEN_ROLE: { status: 403, message: 'this role may not issue this command' },
  FORBIDDEN_BUREAU: { status: 403, message: 'the bureau is not responsible for this task or target' },
  NOT_LEAD_BUREAU: { status: 403, message: 'only a lead bureau of the task may do this' },
  PLAN_NOT_FOUND: { status: 404, message: 'no plan with this id was imported' },
  TARGET_NOT_FOUND: { status: 404, message: 'the plan has no target with this id' },
  TASK_NOT_FOUND: { status: 404, message: 'no task with this id was published' },
  PLAN_ALREADY_IMPORTED: { status: 409, message: 'a different document was already imported as this plan' },
  PLAN_NOT_ISSUED: { status: 409, message: 'the plan is not issued yet' },
  TARGET_EXISTS: { status: 409, message: 'the plan already has a different target for this metric' },
  TASK_ALREADY_PUBLISHED: { status: 409, message: 'a different task was already published under this id' },
  TASK_NOT_ASSIGNED: { status: 409, message: 'the task has no lead bureau yet' },
  TASK_NOT_ACKNOWLEDGED: { status: 409, message: 'the lead bureau has not acknowledged the task' },
  COMPLETION_NOT_SUBMITTED: { status: 409, message: 'no completion was submitted for the task' },
  COMPLETION_PENDING: { status: 409, message: 'a completion awaits verification' },
  TASK_VERIFIED: { status: 409, message: 'the completion was verified; the task awaits close-out' },
  TASK_CLOSED: { status: 409, message: 'the task is closed and can no longer change' },
  TASK_CANCELLED: { status: 409, message: 'the task is cancelled' },
  TASK_SUSPENDED: { status: 409, message: 'the task is suspended' },
  TASK_NOT_SUSPENDED: { status: 409, message: 'the task is not suspended' },
  DEADLINE_ALREADY_SET: { status: 409, message: 'the task has a deadline already; change it with a reason' },
  NO_DEADLINE: { status: 409, message: 'the task has no deadline' },
  DEADLINE_MISMATCH: { status: 409, message: 'the deadline named is not the task’s current deadline' },
  DEADLINE_PASSED: { status: 409, message: 'the deadline has passed already' },
  DEADLINE_NOT_PASSED: { status: 409, message: 'the deadline has not passed yet' },
  IMPORT_DUPLICATE_TASK_ID: {
    status: 422,
    message: 'the document gives two key tasks the same number; nothing was imported',
  },
})

export type PlanningErrorCode = keyof typeof planningErrors.definitions

export function fail(
  code: PlanningErrorCode,
  detail?: string,
  details?: Record<string, unknown>,
): DomainError {
  return planningErrors.make(code, detail, details)
}

type Role = CommandActor['role']

/** Refuses an actor whose role is not among `roles`; `action` names the command for the message. */
export function requireRole(actor: CommandActor, roles: readonly Role[], action: string): void {
  if (!roles.includes(actor.role)) throw fail('FORBIDDEN_ROLE', `${actor.role} may not ${action}`)
}

/** The bureau a bureau actor acts for; a bureau token without a bureau id acts for none. */
export function actingBureau(actor: CommandActor, action: string): string {
  requireRole(actor, ['bureau'], action)
  if (typeof actor.bureauId !== 'string' || actor.bureauId === '') {
    throw fail('FORBIDDEN_BUREAU', 'the actor names no bureau')
  }
  return actor.bureauId
}

export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw fail('INVALID_VALUE', `${field} must be a non-empty string`)
  return value
}

export function requireReason(reason: unknown): string {
  if (typeof reason !== 'string' || reason.trim() === '') throw fail('REASON_REQUIRED')
  return reason
}

export function requireDay(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isDay(value)) throw fail('INVALID_DATE', `${field}: ${String(value)}`)
  return value
}

export function requireYear(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isYear(value)) throw fail('INVALID_DATE', `${field}: ${String(value)}`)
  return value
}

export function requireNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw fail('INVALID_VALUE', `${field} must be a number`)
  return value
}

export function requireTexts(values: unknown, field: string): string[] {
  if (!Array.isArray(values)) throw fail('INVALID_VALUE', `${field} must be a list`)
  return values.map((value, i) => requireText(value, `${field}[${i}]`))
}

/** A list of bureau ids or other names: strings, none empty, none repeated. */
export function requireDistinctTexts(values: unknown, field: string): string[] {
  const texts = requireTexts(values, field)
  if (new Set(texts).size !== texts.length) throw fail('INVALID_VALUE', `${field} repeats an entry`)
  return texts
}

export function requireEvidence(evidence: unknown): Evidence[] {
  if (!Array.isArray(evidence)) throw fail('INVALID_VALUE', 'evidence must be a list')
  return evidence.map((item: Partial<Evidence>, i) => ({
    name: requireText(item?.name, `evidence[${i}].name`),
    ref: requireText(item?.ref, `evidence[${i}].ref`),
  }))
}

/**
 * Structural equality of JSON values, blind to key order. Deciders use it to recognise a repeated
 * command (same assignment, same import) and answer it with no events, so retries stay harmless.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const keysA = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined)
  const keysB = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined)
  if (keysA.length !== keysB.length) return false
  return keysA.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}
