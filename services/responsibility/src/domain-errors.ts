import { errorCatalogue, type CommandActor, type DomainError } from '@coord/domain'
import {
  bureauKinds,
  listKinds,
  type BureauKind,
  type DutyContent,
  type ListKind,
} from '@coord/events/responsibility'
import { isDay } from './days.ts'

/**
 * Every code the Bureau, DutyList and Reorganisation deciders raise. 400: a value is malformed;
 * 403: the actor may not do this; 404: what the command names does not exist; 409: the state of
 * the aggregate, or of the bureaus it names, forbids it on that date. README.md lists them all.
 */
export const responsibilityErrors = errorCatalogue({
  INVALID_VALUE: { status: 400, message: 'a field is empty or has an invalid value' },
  INVALID_DATE: { status: 400, message: 'a date is not a calendar day YYYY-MM-DD' },
  REASON_REQUIRED: { status: 400, message: 'this change needs a reason' },
  AMENDMENT_EMPTY: { status: 400, message: 'an amendment must change at least one field' },
  INVALID_REORGANISATION: {
    status: 400,
    message: 'a reorganisation names each bureau once and never as both old and successor',
  },
  FORBIDDEN_ROLE: { status: 403, message: 'this role may not issue this command' },
  BUREAU_NOT_FOUND: { status: 404, message: 'no bureau with this id is registered' },
  PARENT_NOT_FOUND: { status: 404, message: 'the parent bureau is not registered' },
  LIST_NOT_FOUND: { status: 404, message: 'the bureau has not published this list' },
  DUTY_NOT_FOUND: { status: 404, message: 'the list has never held this duty' },
  REORGANISATION_NOT_FOUND: { status: 404, message: 'no reorganisation with this id was decided' },
  BUREAU_EXISTS: { status: 409, message: 'a different bureau was already registered under this id' },
  BUREAU_NOT_ACTIVE: {
    status: 409,
    message: 'the bureau does not exist on that date (not yet registered, or dissolved by then)',
  },
  BUREAU_DISSOLVED: { status: 409, message: 'the bureau was dissolved by another reorganisation' },
  EFFECTIVE_DATE_OUT_OF_ORDER: {
    status: 409,
    message: 'the effective date lies before a change already in force; history is not rewritten',
  },
  DUTY_EXISTS: { status: 409, message: 'the list already holds a different duty under this id' },
  DUTY_NOT_IN_FORCE: { status: 409, message: 'the duty is not on this list on that date' },
  DUTY_HELD_ELSEWHERE: { status: 409, message: "the duty is on another bureau's list on or after that date" },
  REORGANISATION_EXISTS: {
    status: 409,
    message: 'a different reorganisation was already decided under this id',
  },
})

export type ResponsibilityErrorCode = keyof typeof responsibilityErrors.definitions

export function fail(
  code: ResponsibilityErrorCode,
  detail?: string,
  details?: Record<string, unknown>,
): DomainError {
  return responsibilityErrors.make(code, detail, details)
}

type Role = CommandActor['role']

/** Refuses an actor whose role is not among `roles`; `action` names the command for the message. */
export function requireRole(actor: CommandActor, roles: readonly Role[], action: string): void {
  if (!roles.includes(actor.role)) throw fail('FORBIDDEN_ROLE', `${actor.role} may not ${action}`)
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
  if (!isDay(value)) throw fail('INVALID_DATE', `${field}: ${String(value)}`)
  return value
}

export function requireKind(value: unknown): BureauKind {
  if (!(bureauKinds as readonly unknown[]).includes(value))
    throw fail('INVALID_VALUE', `kind must be one of ${bureauKinds.join(', ')}`)
  return value as BureauKind
}

export function requireListKind(value: unknown): ListKind {
  if (!(listKinds as readonly unknown[]).includes(value))
    throw fail('INVALID_VALUE', `listKind must be one of ${listKinds.join(', ')}`)
  return value as ListKind
}

export function requireContent(value: Partial<DutyContent> | undefined, field: string): DutyContent {
  return {
    title: requireText(value?.title, `${field}.title`),
    category: requireText(value?.category, `${field}.category`),
    legalBasis: requireText(value?.legalBasis, `${field}.legalBasis`),
  }
}

/** A list of ids: strings, none empty, none repeated (repeats are a malformed reorganisation). */
export function requireIds(values: unknown, field: string, min: number): string[] {
  if (!Array.isArray(values)) throw fail('INVALID_VALUE', `${field} must be a list`)
  const ids = values.map((value, i) => requireText(value, `${field}[${i}]`))
  if (ids.length < min) throw fail('INVALID_REORGANISATION', `${field} needs at least ${min}`)
  if (new Set(ids).size !== ids.length) throw fail('INVALID_REORGANISATION', `${field} repeats a bureau`)
  return ids
}

/**
 * Structural equality of JSON values, blind to key order. Deciders use it to recognise a repeated
 * command and answer it with no events, so retries stay harmless.
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
