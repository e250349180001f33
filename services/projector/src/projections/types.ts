import type { RecordedEvent } from '@coord/eventstore'
import type { SqlClient } from '../db.ts'
import type { Tables } from '../schema.ts'
import type { ModelWrites } from './writes.ts'

/** Whom and what an event concerns: the activity timeline files it under these. */
export interface Concern {
  bureauIds: string[]
  planId?: string
  taskId?: string
  taskStreamId?: string
  meetingId?: string
}

/**
 * One model's share of an event: SQL upserts keyed by stream id, run inside the transaction that
 * also moves the checkpoint, or rows handed to `writes` to be written with the rest of the batch.
 * Returns what the event concerns, or null when it is not this model's.
 */
export type Projection = (
  tx: SqlClient,
  t: Tables,
  event: RecordedEvent,
  writes: ModelWrites,
) => Promise<Concern | null>

/** jsonb parameters go as text: `pg` would turn a JS array into a PostgreSQL array. */
export function json(value: unknown): string {
  return JSON.stringify(value ?? null)
}

/** The distinct non-empty ids, in first-seen order. */
export function ids(...lists: readonly (readonly (string | null | undefined)[])[]): string[] {
  const seen = new Set<string>()
  for (const list of lists) for (const id of list) if (id) seen.add(id)
  return [...seen]
}
