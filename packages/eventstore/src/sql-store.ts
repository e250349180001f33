import { GroupCommitter } from './group-commit.ts'
import { EventStoreError } from './errors.ts'
import { AppendNotifier } from './notifier.ts'
import { paged, readAllPage, readStreamPage } from './reads.ts'
import type { SqlDriver } from './sql/driver.ts'
import { migrate } from './sql/schema.ts'
import { AllSubscription } from './subscription.ts'
import { toStoreError } from './unavailable.ts'
import { prepareAppend, validateExpectedRevision, validateStreamId } from './validate.ts'
import type { StoreHooks } from './append-batch.ts'
import type {
  AppendOptions,
  AppendResult,
  EventHandler,
  EventStore,
  NewEvent,
  ReadAllFilter,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamState,
  SubscribeOptions,
  Subscription,
} from './types.ts'

export type { StoreHooks } from './append-batch.ts'

/** Warnings the store reports (a pino logger fits). */
export interface StoreLogger {
  warn(details: object, message: string): void
}

export interface SqlStoreOptions {
  hooks?: StoreHooks
  /** Events fetched per round trip when reading and catching up. */
  pageSize?: number
  /** NOTIFY channel for other processes' appends; null when no other process can append. */
  channel: string | null
  pollIntervalMs?: number
  logger?: StoreLogger
}

/** The event store over any SQL driver: the same SQL on PGlite and on PostgreSQL. */
export class SqlEventStore implements EventStore {
  private closed = false
  private readonly notifier = new AppendNotifier()
  private readonly committer: GroupCommitter
  private readonly subscriptions = new Set<AllSubscription>()
  /** Subscriptions' page reads under way, by the append generation they began in and what they read. */
  private readonly pagesInFlight = new Map<string, Promise<RecordedEvent[]>>()
  private readonly pageSize: number
  private unlisten: (() => Promise<void>) | null = null

  private constructor(
    private readonly driver: SqlDriver,
    private readonly options: SqlStoreOptions,
  ) {
    this.pageSize = options.pageSize ?? 5000
    this.committer = new GroupCommitter(
      driver,
      { hooks: options.hooks ?? {}, channel: options.channel },
      () => this.notifier.notify(),
    )
  }

  static async open(driver: SqlDriver, options: SqlStoreOptions): Promise<SqlEventStore> {
    await migrate(driver)
    const store = new SqlEventStore(driver, options)
    store.unlisten = await driver.listen(() => store.notifier.notify())
    return store
  }

  get adapter(): 'embedded' | 'postgres' {
    return this.driver.adapter
  }

  appendToStream(streamId: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.ensureOpen()
      const prepared = prepareAppend(streamId, events, options)
      const expected = validateExpectedRevision(options.expectedRevision)
      this.committer.submit({
        streamId,
        events: prepared,
        expected,
        idempotency: options.idempotency,
        resolve,
        reject,
      })
    })
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards'
    return paged(() => {
      this.ensureOpen()
      validateStreamId(streamId)
      checkDirection(options.direction)
      if (options.fromRevision !== undefined) checkedPosition(options.fromRevision, 'fromRevision')
      return {
        fetch: this.guarded((cursor, limit) =>
          readStreamPage(this.driver, streamId, cursor, limit, backwards),
        ),
        start: options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 1),
        next: (last) => (backwards ? last.revision - 1 : last.revision + 1),
        maxCount: checkedMaxCount(options.maxCount),
      }
    }, this.pageSize)
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    return paged(() => {
      this.ensureOpen()
      return {
        fetch: this.guarded((cursor, limit) => readAllPage(this.driver, cursor, limit, options.filter)),
        start: checkedPosition(options.fromPosition),
        next: (last) => last.position + 1,
        maxCount: checkedMaxCount(options.maxCount),
      }
    }, this.pageSize)
  }

  async streamState(streamId: string): Promise<StreamState | null> {
    this.ensureOpen()
    validateStreamId(streamId)
    const [row] = await this.query<{ revision: string; position: string }>(
      'select revision, position from es_streams where stream_id = $1',
      [streamId],
    )
    return row ? { streamId, revision: Number(row.revision), position: Number(row.position) } : null
  }

  async idempotentResult(key: string): Promise<(AppendResult & { fingerprint: string }) | null> {
    this.ensureOpen()
    const [row] = await this.query<{
      fingerprint: string
      stream_id: string
      revision: string
      position: string
    }>('select fingerprint, stream_id, revision, position from es_idempotency where key = $1', [key])
    if (!row) return null
    const { fingerprint, stream_id: streamId } = row
    return { fingerprint, streamId, revision: Number(row.revision), position: Number(row.position) }
  }

  async headPosition(): Promise<number> {
    this.ensureOpen()
    const [row] = await this.query<{ position: string }>('select position from es_position where id = 1')
    return Number(row?.position ?? 0)
  }

  async checkpoint(name: string): Promise<number> {
    this.ensureOpen()
    checkName(name)
    const [row] = await this.query<{ position: string }>(
      'select position from es_checkpoints where name = $1',
      [name],
    )
    return Number(row?.position ?? 0)
  }

  async saveCheckpoint(name: string, position: number): Promise<void> {
    this.ensureOpen()
    checkName(name)
    checkedPosition(position, 'position')
    await this.query(
      `insert into es_checkpoints (name, position, updated_at) values ($1, $2, now())
       on conflict (name) do update set position = greatest(es_checkpoints.position, excluded.position),
         updated_at = excluded.updated_at`,
      [name, position],
    )
  }

  subscribeToAll(options: SubscribeOptions, handler: EventHandler): Subscription {
    this.ensureOpen()
    checkedPosition(options.fromPosition)
    const subscription = new AllSubscription(
      {
        readPage: (from, limit, filter) => this.sharedPage(from, limit, filter),
        notifier: this.notifier,
        pollIntervalMs: this.options.pollIntervalMs ?? 1000,
        pageSize: Math.min(this.pageSize, 500),
        warn: (err, message) => this.options.logger?.warn({ err }, message),
      },
      options,
      handler,
    )
    this.subscriptions.add(subscription)
    void subscription.done.catch(() => undefined).finally(() => this.subscriptions.delete(subscription))
    return subscription
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await Promise.all([...this.subscriptions].map((s) => s.stop()))
    await this.committer.idle()
    await this.unlisten?.()
    await this.driver.close()
  }

  /**
   * One page of the log for a subscription. Subscriptions at the head are woken by the same append
   * and ask for the same page at once: they share one read. Only a read begun since the last append
   * was announced is shared, so no subscription gets a page older than what it was woken for (an
   * append announced after the read began starts a read of its own).
   */
  private sharedPage(
    from: number,
    limit: number,
    filter: ReadAllFilter | undefined,
  ): Promise<RecordedEvent[]> {
    const key = JSON.stringify([
      this.notifier.generation,
      from,
      limit,
      filter?.typePrefix ?? null,
      filter?.streamPrefix ?? null,
    ])
    const shared = this.pagesInFlight.get(key)
    if (shared) return shared
    const page = readAllPage(this.driver, from, limit, filter).finally(() => this.pagesInFlight.delete(key))
    this.pagesInFlight.set(key, page)
    return page
  }

  private ensureOpen(): void {
    if (this.closed) throw new EventStoreError('STORE_CLOSED')
  }

  private async query<Row>(sql: string, params?: unknown[]): Promise<Row[]> {
    try {
      return await this.driver.query<Row>(sql, params)
    } catch (error) {
      throw toStoreError(error)
    }
  }

  /** A page fetch that stops when the store closes and maps a lost database to STORE_UNAVAILABLE. */
  private guarded<A extends unknown[]>(
    fetch: (...args: A) => Promise<RecordedEvent[]>,
  ): (...args: A) => Promise<RecordedEvent[]> {
    return async (...args) => {
      this.ensureOpen()
      try {
        return await fetch(...args)
      } catch (error) {
        throw toStoreError(error)
      }
    }
  }
}

function checkedMaxCount(maxCount: number | undefined): number {
  if (maxCount === undefined) return Number.MAX_SAFE_INTEGER
  if (!Number.isSafeInteger(maxCount) || maxCount < 0) {
    throw new EventStoreError('INVALID_OPTION', `maxCount must be a whole number >= 0, not ${maxCount}`)
  }
  return maxCount
}

function checkedPosition(position: number | undefined, name = 'fromPosition'): number {
  if (position === undefined) return 1
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new EventStoreError(
      'INVALID_OPTION',
      `${name} must be a whole number >= 0, not ${String(position)}`,
    )
  }
  return position
}

function checkName(name: unknown): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > 200) {
    throw new EventStoreError('INVALID_OPTION', 'a checkpoint name must be 1-200 characters')
  }
}

function checkDirection(direction: unknown): void {
  if (direction !== undefined && direction !== 'forwards' && direction !== 'backwards') {
    throw new EventStoreError(
      'INVALID_OPTION',
      `direction must be forwards or backwards, not ${JSON.stringify(direction)}`,
    )
  }
}
