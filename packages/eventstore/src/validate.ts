import { EventStoreError } from './errors.ts'
import type { AppendOptions, ExpectedRevision, NewEvent } from './types.ts'

export const maxStreamIdLength = 200
export const maxEventBytes = 1024 * 1024
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** An event checked and serialised once, ready to be written. */
export interface PreparedEvent {
  id: string
  type: string
  schemaVersion: number
  dataJson: string
  metadataJson: string
}

export function validateStreamId(streamId: unknown): asserts streamId is string {
  if (typeof streamId !== 'string') throw new EventStoreError('INVALID_STREAM_ID', 'it must be a string')
  if (streamId.length === 0) throw new EventStoreError('INVALID_STREAM_ID', 'it is empty')
  if (streamId.length > maxStreamIdLength) {
    throw new EventStoreError(
      'INVALID_STREAM_ID',
      `it has ${streamId.length} characters, at most ${maxStreamIdLength}`,
    )
  }
  if (streamId.includes('\u0000'))
    throw new EventStoreError('INVALID_STREAM_ID', 'it contains a NUL character')
}

export function validateExpectedRevision(expected: unknown): ExpectedRevision {
  if (expected === undefined) return 'any'
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return expected
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return expected
  throw new EventStoreError(
    'INVALID_OPTION',
    `expectedRevision must be any, no_stream, stream_exists or a revision >= 0, not ${JSON.stringify(expected)}`,
  )
}

export function prepareAppend(streamId: unknown, events: unknown, options: AppendOptions): PreparedEvent[] {
  validateStreamId(streamId)
  validateExpectedRevision(options.expectedRevision)
  if (options.idempotency !== undefined) validateIdempotency(options.idempotency)
  if (!Array.isArray(events)) throw new EventStoreError('EMPTY_APPEND')
  // No events: only to record an idempotency key against the stream as it stands.
  if (events.length === 0 && options.idempotency === undefined) throw new EventStoreError('EMPTY_APPEND')
  const seen = new Set<string>()
  return events.map((event: unknown, index) => {
    const prepared = prepareEvent(event, index)
    if (seen.has(prepared.id))
      throw new EventStoreError('INVALID_EVENT', `event ${index} repeats id ${prepared.id}`)
    seen.add(prepared.id)
    return prepared
  })
}

function validateIdempotency(idempotency: unknown): void {
  const { key, fingerprint } = (idempotency ?? {}) as { key?: unknown; fingerprint?: unknown }
  if (typeof key !== 'string' || key.length === 0 || key.length > 300 || typeof fingerprint !== 'string') {
    throw new EventStoreError(
      'INVALID_OPTION',
      'idempotency needs a key of 1-300 characters and a fingerprint',
    )
  }
}

function prepareEvent(event: unknown, index: number): PreparedEvent {
  if (typeof event !== 'object' || event === null) throw invalid(index, 'it is not an object')
  const { id, type, schemaVersion = 1, data, metadata } = event as Partial<NewEvent>
  if (typeof id !== 'string' || !uuidPattern.test(id)) throw invalid(index, 'its id is not a UUID')
  if (typeof type !== 'string' || type.length === 0 || type.length > 200) {
    throw invalid(index, 'its type is missing or longer than 200 characters')
  }
  if (!Number.isSafeInteger(schemaVersion) || schemaVersion < 1) {
    throw invalid(index, 'its schemaVersion must be a positive integer')
  }
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw invalid(index, 'its metadata is missing')
  }
  const metadataProblem = checkMetadata(metadata)
  if (metadataProblem) throw invalid(index, `its metadata ${metadataProblem}`)
  const dataJson = toJson(data, index, 'data')
  const metadataJson = toJson(metadata, index, 'metadata')
  const bytes = Buffer.byteLength(dataJson) + Buffer.byteLength(metadataJson)
  if (bytes > maxEventBytes) throw new EventStoreError('EVENT_TOO_LARGE', `event ${index} has ${bytes} bytes`)
  return { id: id.toLowerCase(), type, schemaVersion, dataJson, metadataJson }
}

/** The envelope's required metadata (BRIEF section 4); `recordedAt` is the store's to set. */
function checkMetadata(metadata: Record<string, unknown>): string | null {
  const actor = metadata.actor as Record<string, unknown> | undefined
  if (typeof actor !== 'object' || actor === null) return 'needs an actor'
  if (typeof actor.role !== 'string' || typeof actor.user !== 'string')
    return 'needs actor.role and actor.user'
  if (actor.bureauId !== undefined && typeof actor.bureauId !== 'string')
    return 'has a non-string actor.bureauId'
  if (typeof metadata.correlationId !== 'string') return 'needs a correlationId'
  if (metadata.causationId !== null && typeof metadata.causationId !== 'string') {
    return 'needs a causationId (string or null)'
  }
  if (typeof metadata.occurredAt !== 'string' || Number.isNaN(Date.parse(metadata.occurredAt))) {
    return 'needs occurredAt as an ISO date-time'
  }
  if ('recordedAt' in metadata) return 'must not set recordedAt: the store records it'
  return null
}

function invalid(index: number, reason: string): EventStoreError {
  return new EventStoreError('INVALID_EVENT', `event ${index}: ${reason}`)
}

/** Serialises strictly: what JSON.stringify would drop or mangle is refused, not stored altered. */
function toJson(value: unknown, index: number, field: string): string {
  const problem = findUnserialisable(value, new Set())
  if (problem) throw invalid(index, `its ${field} is not JSON: ${problem}`)
  return JSON.stringify(value)
}

function findUnserialisable(value: unknown, ancestors: Set<object>): string | null {
  switch (typeof value) {
    case 'string':
      return checkString(value)
    case 'boolean':
      return null
    case 'number':
      return Number.isFinite(value) ? null : `${value} is not a finite number`
    case 'object':
      if (value === null) return null
      return findInObject(value, ancestors)
    default:
      return `a value of type ${typeof value}`
  }
}

/** PostgreSQL's jsonb cannot hold NUL characters or lone UTF-16 surrogates. */
function checkString(value: string): string | null {
  if (value.includes('\u0000')) return 'a string contains a NUL character'
  if (!value.isWellFormed()) return 'a string contains a lone UTF-16 surrogate'
  return null
}

function findInObject(value: object, ancestors: Set<object>): string | null {
  if (ancestors.has(value)) return 'it is circular'
  const proto = Object.getPrototypeOf(value) as unknown
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) {
    return `an instance of ${value.constructor?.name ?? 'a class'}`
  }
  ancestors.add(value)
  for (const [key, child] of Object.entries(value)) {
    // An absent optional property (`{ bureauId: undefined }`) is dropped, as JSON does.
    if (child === undefined && !Array.isArray(value)) continue
    const problem = checkString(key) ?? findUnserialisable(child, ancestors)
    if (problem) return problem
  }
  ancestors.delete(value)
  return null
}
