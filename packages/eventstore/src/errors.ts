import type { ExpectedRevision } from './types.ts'

/** Every error code the event store raises, with the message a caller sees first. */
export const eventStoreErrors = {
  WRONG_EXPECTED_REVISION: 'the stream is not at the expected revision',
  DUPLICATE_EVENT_ID: 'an event with this id was already appended with other content',
  IDEMPOTENCY_KEY_REUSED: 'this idempotency key was already used for another request',
  INVALID_STREAM_ID: 'the stream id is empty, too long or not a string',
  INVALID_EVENT: 'an event is malformed',
  EVENT_TOO_LARGE: 'an event is larger than the 1 MiB limit',
  EMPTY_APPEND: 'an append needs at least one event, or an idempotency key to record',
  INVALID_OPTION: 'an option has an invalid value',
  STORE_CLOSED: 'the event store is closed',
  STORE_UNAVAILABLE: 'the database behind the event store does not answer',
  STORE_NOT_FOUND: 'no event store exists there',
} as const

export type EventStoreErrorCode = keyof typeof eventStoreErrors

export class EventStoreError extends Error {
  readonly code: EventStoreErrorCode

  constructor(code: EventStoreErrorCode, detail?: string, options?: ErrorOptions) {
    super(detail ? `${eventStoreErrors[code]}: ${detail}` : eventStoreErrors[code], options)
    this.name = 'EventStoreError'
    this.code = code
  }
}

/** Raised when `expectedRevision` does not hold; nothing was written. */
export class WrongExpectedRevision extends EventStoreError {
  readonly streamId: string
  readonly expected: ExpectedRevision
  /** The stream's revision when the append was attempted (0: the stream does not exist). */
  readonly actual: number

  constructor(streamId: string, expected: ExpectedRevision, actual: number) {
    super('WRONG_EXPECTED_REVISION', `stream ${streamId} expected ${String(expected)}, actual ${actual}`)
    this.name = 'WrongExpectedRevision'
    this.streamId = streamId
    this.expected = expected
    this.actual = actual
  }
}

export function isEventStoreError(error: unknown, code?: EventStoreErrorCode): error is EventStoreError {
  return error instanceof EventStoreError && (code === undefined || error.code === code)
}
