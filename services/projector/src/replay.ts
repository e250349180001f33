import type { EventStore, RecordedEvent } from '@coord/eventstore'
import type { ReadDb } from './db.ts'
import { digestVersion, type VersionDigest } from './digest.ts'
import { projectorErrors } from './errors.ts'
import { checkedInstant } from './queries/views.ts'
import { ReplayBatches } from './replay-batches.ts'
import type { ProjectorLogger } from './runner.ts'
import { createVersion, ensureStateTable, goLive, tablesOf } from './schema.ts'

export interface ReplayProgress {
  /** Events applied so far. */
  applied: number
  /** Events the replay applies in all: every event recorded up to the instant. */
  total: number
  /** Position of the last event applied. */
  position: number
}

/**
 * What a replay does once its last batch has committed: make the append-only tables' keys and
 * indexes (left until then, `createAppendIndexes`), then digest every table. On a long history
 * each takes a while after the last event is applied.
 */
export type ReplayStage = 'indexing' | 'digesting'

export interface ReplayOptions {
  store: EventStore
  /** An ISO timestamp with a zone, or a day `YYYY-MM-DD` meaning its end in China Standard Time. */
  asOf: string
  /** An empty read-model database (a schema or a PGlite directory of its own). */
  target: ReadDb
  /** Events applied per transaction; default 1000. */
  batchSize?: number
  logger?: ProjectorLogger
  /** Called after every committed batch. */
  onProgress?: (progress: ReplayProgress) => void
  /** Called as each stage after the last batch begins, in order. */
  onStage?: (stage: ReplayStage) => void
}

export interface ReplayResult {
  /** The instant replayed to, as a UTC ISO string. */
  asOf: string
  /** Events applied: those recorded at or before `asOf`. */
  events: number
  /** Position of the last of them (0 when none). */
  lastPosition: number
  /** The read-model version the target holds (live there, so `ReadModels` can query it). */
  version: number
  digest: VersionDigest
}

/** The instant a replay as of `value` stops at, as a UTC ISO string; INVALID_QUERY when malformed. */
export function replayInstant(value: string): string {
  return checkedInstant(value, 'asOf')
}

/**
 * The position of the last event recorded at or before `asOf` (0 when none). The store takes
 * positions and recording times under one lock, never letting the time go back, so recording time
 * grows with position and a binary search over positions finds the bound in ~log2(head) reads.
 */
export async function positionAsOf(store: EventStore, asOf: string): Promise<number> {
  const instant = Date.parse(replayInstant(asOf))
  let low = 0
  let high = await store.headPosition()
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    const event = await eventAt(store, middle)
    if (Date.parse(event.metadata.recordedAt) <= instant) low = middle
    else high = middle - 1
  }
  return low
}

async function eventAt(store: EventStore, position: number): Promise<RecordedEvent> {
  for await (const event of store.readAll({ fromPosition: position, maxCount: 1 })) {
    if (event.position === position) return event
  }
  throw new Error(`the event store has no event at position ${position}`)
}

/**
 * Rebuilds every read model as it stood at `asOf` (recording time, not business time) in `target`:
 * the projector's own projections and batches (`applyBatch`), fed only the events recorded up to
 * then, into version 1 of an empty database. Returns the digest of each table; replays of the
 * same history to the same instant give equal digests, equal to a live projector's at that point.
 */
export async function replayAsOf(options: ReplayOptions): Promise<ReplayResult> {
  const { store, target, onProgress, onStage, logger } = options
  const asOf = replayInstant(options.asOf)
  const batchSize = options.batchSize ?? 1000
  const version = await claimTarget(target, asOf)
  const tables = tablesOf(version)
  const total = await positionAsOf(store, asOf)
  let applied = 0
  const batches = new ReplayBatches(target, tables, logger, (batch) => {
    applied += batch.length
    onProgress?.({ applied, total, position: (batch.at(-1) as RecordedEvent).position })
  })
  onProgress?.({ applied, total, position: 0 })
  // The next batch is read from the store while the previous one is folded and written.
  let pending: Promise<void> = Promise.resolve()
  let batch: RecordedEvent[] = []
  for await (const event of store.readAll({ fromPosition: 1, maxCount: total })) {
    batch.push(event)
    if (batch.length < batchSize) continue
    const full = batch
    batch = []
    await pending
    pending = batches.add(full)
    // Handled here so a failure waits for the next `await pending` instead of being unhandled.
    pending.catch(() => undefined)
  }
  await pending
  if (batch.length > 0) await batches.add(batch)
  await batches.settled()
  onStage?.('indexing')
  await batches.finish()
  if (applied !== total) throw new Error(`the replay applied ${applied} events of the ${total} expected`)
  await goLive(target, version, async (tx) => {
    await tx.query(`update rm_state set status = 'live', updated_at = now() where version = $1`, [version])
  })
  await recordReplay(target, total)
  onStage?.('digesting')
  return { asOf, events: total, lastPosition: total, version, digest: await digestVersion(target, version) }
}

/**
 * Claims `target` for this replay, refusing a database that already holds tables of its own, then
 * creates version 1 there. The claim (`rm_replay`, unfinished) is made first, in a transaction of
 * its own, so a replay that stops half way (interrupted, failed) leaves a target that says it is
 * one, which the next replay may be allowed to replace.
 */
async function claimTarget(target: ReadDb, asOf: string): Promise<number> {
  const [row] = await target.query<{ tables: number }>(
    `select count(*)::int as tables from information_schema.tables where table_schema = current_schema()`,
  )
  if ((row?.tables ?? 0) > 0) {
    throw projectorErrors.make('REPLAY_TARGET_IN_USE', `it holds ${row?.tables} tables`)
  }
  await target.transaction(async (tx) => {
    await tx.query(
      `create table rm_replay (as_of text not null, events bigint,
         started_at timestamptz not null default now(), finished_at timestamptz)`,
    )
    await tx.query('insert into rm_replay (as_of) values ($1)', [asOf])
  })
  await ensureStateTable(target)
  return createVersion(target, 'building', { appendIndexes: false })
}

/** What the target holds, kept beside the models and outside the digest: finished, with its count. */
async function recordReplay(target: ReadDb, events: number): Promise<void> {
  await target.query('update rm_replay set events = $1, finished_at = now()', [events])
}
