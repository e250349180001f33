import type { EventStore, RecordedEvent, Subscription } from '@coord/eventstore'
import type { ReadDb, SqlClient } from './db.ts'
import { applyEvent } from './projections/index.ts'
import { taskStreamsOf } from './projections/task.ts'
import { preloadedTasksOf } from './projections/batch-sql.ts'
import type { StoredTaskRow } from './projections/task-row.ts'
import { ModelWrites, type ReplayTasks } from './projections/writes.ts'
import { tablesOf, type Tables } from './schema.ts'

export interface ProjectorLogger {
  info(details: object, message: string): void
  warn(details: object, message: string): void
  error(details: object, message: string): void
}

export interface RunnerOptions {
  store: EventStore
  db: ReadDb
  version: number
  /** Events applied per transaction at most. */
  batchSize: number
  logger: ProjectorLogger | undefined
  /** Called after each commit with the new checkpoint and the batch's events, in order. */
  onCommit: (checkpoint: number, events: readonly RecordedEvent[]) => void
}

/**
 * Keeps one version of the read models up to date. Events arrive from the store's subscription,
 * gather into batches, and each batch is applied together with `rm_state.checkpoint` in one
 * transaction: a crash at any instant leaves the models and the checkpoint at the same position,
 * and a restart resumes right after it, so no event is lost or applied twice.
 */
export class VersionRunner {
  readonly tables: Tables
  checkpoint = 0
  /** The error of the last failed batch, cleared by the next commit. */
  lastError: unknown = null
  private buffer: RecordedEvent[] = []
  private flushing: Promise<void> = Promise.resolve()
  private flushQueued = false
  private subscription: Subscription | null = null
  private loop: Promise<void> | null = null
  private stopped = false
  /** Failures since the last commit: the backoff before resubscribing grows with them. */
  private failures = 0
  private wakeUp: () => void = () => undefined

  constructor(private readonly options: RunnerOptions) {
    this.tables = tablesOf(options.version)
  }

  get version(): number {
    return this.options.version
  }

  async start(): Promise<void> {
    this.stopped = false
    this.checkpoint = await readCheckpoint(this.options.db, this.version)
    this.loop = this.run()
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.wakeUp()
    await this.subscription?.stop()
    await this.loop
    await this.flushing.catch(() => undefined)
    // Events delivered but not committed are read again by the next start.
    this.buffer = []
  }

  /** Subscribes from the committed checkpoint; after a failure, again from there, with backoff. */
  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        this.buffer = []
        this.checkpoint = await readCheckpoint(this.options.db, this.version)
        const subscription = this.options.store.subscribeToAll(
          { fromPosition: this.checkpoint + 1 },
          (event) => this.enqueue(event),
        )
        this.subscription = subscription
        if (this.stopped) await subscription.stop()
        await subscription.done
        await this.flushing
      } catch (error) {
        this.lastError = error
      }
      await this.flushing.catch(() => undefined)
      this.flushing = Promise.resolve()
      if (this.stopped) return
      // Ended without an error: the store closed under it, or a scheduled batch failed (set above).
      this.lastError ??= new Error('the event store subscription ended')
      this.failures += 1
      this.options.logger?.warn(
        { err: this.lastError, version: this.version, checkpoint: this.checkpoint },
        'projection stopped; resuming from the checkpoint',
      )
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(5000, 50 * 2 ** Math.min(this.failures, 7)))
        this.wakeUp = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
  }

  private enqueue(event: RecordedEvent): Promise<void> | undefined {
    this.buffer.push(event)
    // Back-pressure: a full batch is committed before the subscription delivers more.
    if (this.buffer.length >= this.options.batchSize) return this.flush()
    // Otherwise commit once the subscription's page is delivered (it then waits on I/O).
    if (!this.flushQueued) {
      this.flushQueued = true
      setImmediate(() => {
        this.flushQueued = false
        if (this.stopped) return
        this.flush().catch(() => {
          // The batch is gone from the buffer: start over from the committed checkpoint.
          void this.subscription?.stop()
        })
      })
    }
    return undefined
  }

  private flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.commitBuffered())
    return this.flushing
  }

  private async commitBuffered(): Promise<void> {
    const batch = this.buffer
    this.buffer = []
    const last = batch.at(-1)
    if (!last) return
    try {
      await this.commit(batch, false)
    } catch (error) {
      this.options.logger?.warn(
        { err: error, version: this.version },
        'batch failed; applying it event by event',
      )
      await this.commit(batch, true)
    }
    this.checkpoint = last.position
    this.lastError = null
    this.failures = 0
    this.options.onCommit(last.position, batch)
    // PGlite answers in microtasks: without a turn of the event loop between batches, catching up
    // (or a rebuild) would hold off every request and timer of the process until it is done.
    await new Promise((resolve) => setImmediate(resolve))
  }

  private commit(batch: RecordedEvent[], careful: boolean): Promise<void> {
    return applyBatch(this.options.db, this.tables, batch, { careful, logger: this.options.logger })
  }
}

/**
 * One transaction: the batch's model changes and the new checkpoint of the version. `careful` wraps
 * each event in a savepoint, so an event no model can apply (malformed data) is recorded in
 * `rejected` instead of halting every model behind it; a lost connection still fails the whole
 * batch. Otherwise task and timeline rows are read once and written set-based at the end of the
 * batch (ModelWrites). The live projector and an audit replay (replay.ts) apply events through here;
 * a replay passes `replay`, its task rows kept across batches, and appends to tables without keys.
 */
export async function applyBatch(
  db: ReadDb,
  t: Tables,
  batch: readonly RecordedEvent[],
  options: { careful: boolean; logger: ProjectorLogger | undefined; replay?: ReplayTasks },
): Promise<void> {
  if (options.careful) {
    await commitBatch(db, t, batch, async (tx, fresh) => {
      for (const event of fresh) await applyCarefully(tx, t, event, options.logger)
    })
    return
  }
  const writes = new ModelWrites(t, options.replay)
  // The rows of the batch's tasks are read by the statement that takes the checkpoint's lock (a
  // replay has them in memory already).
  const streams = options.replay ? [] : [...new Set(taskStreamsOf(batch))]
  await commitBatch(
    db,
    t,
    batch,
    async (tx, fresh, preloaded) => {
      // Read before the lock was granted: current unless another process committed meanwhile (the
      // checkpoint moved past the batch's start), in which case they are read again.
      if (preloaded && fresh.length === batch.length) writes.preloaded(streams, preloaded as StoredTaskRow[])
      else await writes.preload(tx, taskStreamsOf(fresh))
      for (const event of fresh) await applyEvent(tx, t, event, writes)
      await writes.flush(tx)
    },
    streams.length > 0 ? preloadedTasksOf(t, streams) : undefined,
  )
}

/**
 * The transaction of a batch: `apply` writes the events not yet applied (`fresh`, never empty,
 * right after the checkpoint), and the checkpoint moves to the last of them. Nothing is written
 * when another process has applied the whole batch meanwhile. `alongside`, an expression without
 * parameters, is evaluated by the statement that takes the checkpoint's lock and handed to
 * `apply`; its snapshot may predate the lock.
 */
export async function commitBatch(
  db: ReadDb,
  t: Tables,
  batch: readonly RecordedEvent[],
  apply: (tx: SqlClient, fresh: readonly RecordedEvent[], alongside: unknown) => Promise<void>,
  alongside?: string,
): Promise<void> {
  // The checkpoint's lock comes with the begin and its update with the commit (ReadDb.batch): the
  // version and positions are safe integers, so they are written into the statements.
  const version = sqlInteger(t.version)
  const extra = alongside === undefined ? '' : `, ${alongside} as alongside`
  await db.batch<{ checkpoint: string | number; alongside?: unknown }>(
    `select checkpoint${extra} from rm_state where version = ${version} for update`,
    async (tx, rows) => {
      if (!rows[0]) throw new Error(`read-model version ${version} is no longer recorded`)
      const at = Number(rows[0].checkpoint)
      // Another process may have applied part of the batch meanwhile: skip it, never reapply it.
      const fresh = batch.filter((event) => event.position > at)
      const first = fresh[0]
      const last = fresh.at(-1)
      if (!first || !last) return null
      if (first.position !== at + 1) throw new Error(`position ${at + 1} is missing from the batch`)
      await apply(tx, fresh, rows[0].alongside)
      return `update rm_state set checkpoint = ${sqlInteger(last.position)}, updated_at = now()
        where version = ${version}`
    },
  )
}

/** `value` as SQL text, refused unless it is a safe integer. */
function sqlInteger(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer: ${value}`)
  return String(value)
}

async function applyCarefully(
  tx: SqlClient,
  t: Tables,
  event: RecordedEvent,
  logger: ProjectorLogger | undefined,
): Promise<void> {
  await tx.query('savepoint rm_event')
  try {
    const writes = new ModelWrites(t)
    await applyEvent(tx, t, event, writes)
    await writes.flush(tx)
    await tx.query('release savepoint rm_event')
  } catch (error) {
    await tx.query('rollback to savepoint rm_event')
    const message = error instanceof Error ? error.message : String(error)
    logger?.error(
      { err: error, position: event.position, type: event.type },
      'event rejected by the read models',
    )
    await tx.query(
      `insert into ${t.rejected} (position, stream_id, type, error) values ($1, $2, $3, $4)
       on conflict (position) do nothing`,
      [event.position, event.streamId, event.type, message],
    )
  }
}

export async function readCheckpoint(db: SqlClient, version: number): Promise<number> {
  const [row] = await db.query<{ checkpoint: string | number }>(
    'select checkpoint from rm_state where version = $1',
    [version],
  )
  if (!row) throw new Error(`read-model version ${version} is not recorded`)
  return Number(row.checkpoint)
}
