import { errorCatalogue, type CommandActor, type CommandMetadata, type DomainError } from '@coord/domain'
import { businessDay, isDay } from './days.ts'

/**
 * Every code the JointMeeting decider and the minutes importer raise. 400: a value is malformed;
 * 403: the actor may not do this; 404: what the command names does not exist; 409: the meeting's
 * state forbids it now. README.md lists them; a test keeps the two equal.
 */
export const meetingsErrors = errorCatalogue({
  INVALID_VALUE: { status: 400, message: 'a field is empty or has an invalid value' },
  INVALID_DATE: { status: 400, message: 'a date is not a calendar day YYYY-MM-DD or lies out of range' },
  INVALID_ASSIGNMENT: {
    status: 400,
    message: 'an assignment needs at least one lead and no bureau twice, as lead or partner',
  },
  INVALID_ATTENDANCE: {
    status: 400,
    message: 'attendance names each bureau once, and a delegate exactly for a delegated bureau',
  },
  REASON_REQUIRED: { status: 400, message: 'a correction or a deadline change needs a reason' },
  NOT_MINUTES: { status: 400, message: 'the document is not the minutes (会议纪要) of a meeting' },
  FORBIDDEN_ROLE: { status: 403, message: 'only the joint-meeting secretariat records meetings' },
  MEETING_NOT_FOUND: { status: 404, message: 'no joint meeting with this id was scheduled' },
  RESOLUTION_NOT_FOUND: { status: 404, message: 'the meeting adopted no resolution with this id' },
  MEETING_EXISTS: { status: 409, message: 'a different meeting was already scheduled under this id' },
  MEETING_NOT_HELD: { status: 409, message: 'the meeting has not taken place yet' },
  MINUTES_ALREADY_ISSUED: {
    status: 409,
    message: 'the minutes are issued; the record can only be corrected, resolution by resolution',
  },
  MINUTES_NOT_ISSUED: { status: 409, message: 'the minutes must be issued before the meeting is closed' },
  MEETING_CLOSED: { status: 409, message: 'the meeting is closed; only corrections can be recorded' },
  CORRECTION_NOT_APPLICABLE: {
    status: 409,
    message:
      'a correction may change what a resolution says, not which task or duty it acts on, nor undo what it did',
  },
})

export type MeetingsErrorCode = keyof typeof meetingsErrors.definitions

export function fail(
  code: MeetingsErrorCode,
  detail?: string,
  details?: Record<string, unknown>,
): DomainError {
  return meetingsErrors.make(code, detail, details)
}

/** The secretariat (联席会议办公室) records meetings; every other role only reads them. */
export function requireSecretariat(actor: CommandActor, action: string): void {
  if (actor.role !== 'secretariat') throw fail('FORBIDDEN_ROLE', `${actor.role} may not ${action}`)
}

/** The business day the command was accepted on. */
export function today(metadata: CommandMetadata): string {
  const day = businessDay(metadata.now)
  if (day === undefined) throw fail('INVALID_DATE', `now: ${metadata.now}`)
  return day
}

export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw fail('INVALID_VALUE', `${field} must be a non-empty string`)
  }
  return value
}

/** An id that can sit in a stream id: non-empty, no '/'. */
export function requireId(value: unknown, field: string): string {
  const id = requireText(value, field)
  if (id.includes('/') || id.trim() !== id)
    throw fail('INVALID_VALUE', `${field} must not hold '/' or spaces`)
  return id
}

export function requireReason(reason: unknown): string {
  if (typeof reason !== 'string' || reason.trim() === '') throw fail('REASON_REQUIRED')
  return reason
}

export function requireDay(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isDay(value)) throw fail('INVALID_DATE', `${field}: ${String(value)}`)
  return value
}

export function requireTexts(values: unknown, field: string): string[] {
  if (!Array.isArray(values)) throw fail('INVALID_VALUE', `${field} must be a list`)
  return values.map((value, i) => requireText(value, `${field}[${i}]`))
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
