import { canonicalJson } from './canonical-json.ts'

type Json = string | number | boolean | null | Json[] | { [key: string]: Json }

/**
 * An event as the store returns it: every field of the envelope. This is what a leaf commits to,
 * so a change to any of them (the business time and the recording time included) changes the hash.
 */
export interface LeafEvent {
  id: string
  streamId: string
  revision: number
  position: number
  type: string
  schemaVersion: number
  data: unknown
  metadata: { occurredAt: string; recordedAt: string; [field: string]: unknown }
}

const fields = ['data', 'id', 'metadata', 'position', 'revision', 'schemaVersion', 'streamId', 'type']

/**
 * The canonical leaf of an event: canonical JSON of exactly the envelope's fields. The export
 * writes these texts one per line; the tree hashes their UTF-8 bytes.
 */
export function leafText(event: LeafEvent): string {
  return canonicalJson({
    id: event.id,
    streamId: event.streamId,
    revision: event.revision,
    position: event.position,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
  })
}

/** The UTF-8 bytes of the canonical leaf: what `leafHash` hashes. */
export function leafBytes(event: LeafEvent): Uint8Array {
  return new TextEncoder().encode(leafText(event))
}

/** Why a line of an export is not a canonical leaf. */
export class LeafFormatError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'LeafFormatError'
  }
}

/**
 * Reads one line of an export back: it must be a JSON object with exactly the envelope's fields,
 * each of the right type, written canonically (so the bytes hashed are the bytes read). Throws a
 * `LeafFormatError` saying what is wrong.
 */
export function parseLeaf(line: string): LeafEvent {
  let value: unknown
  try {
    value = JSON.parse(line) as Json
  } catch (error) {
    throw new LeafFormatError(`not JSON (${(error as Error).message})`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LeafFormatError('not a JSON object')
  }
  const record = value as Record<string, unknown>
  const keys = Object.keys(record).sort()
  if (keys.join(',') !== fields.join(',')) {
    throw new LeafFormatError(`has the fields ${keys.join(', ')}; an event has ${fields.join(', ')}`)
  }
  const problem = shapeProblem(record)
  if (problem) throw new LeafFormatError(problem)
  const event = record as unknown as LeafEvent
  if (leafText(event) !== line) throw new LeafFormatError('is not written in canonical form')
  return event
}

function shapeProblem(record: Record<string, unknown>): string | null {
  for (const name of ['id', 'streamId', 'type']) {
    if (typeof record[name] !== 'string') return `${name} is not a string`
  }
  for (const name of ['revision', 'position', 'schemaVersion']) {
    const n = record[name]
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1)
      return `${name} is not a whole number >= 1`
  }
  const metadata = record.metadata
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    return 'metadata is not an object'
  }
  const { occurredAt, recordedAt } = metadata as Record<string, unknown>
  if (typeof occurredAt !== 'string') return 'metadata.occurredAt is not a string'
  if (typeof recordedAt !== 'string' || Number.isNaN(Date.parse(recordedAt))) {
    return 'metadata.recordedAt is not a time'
  }
  return null
}
