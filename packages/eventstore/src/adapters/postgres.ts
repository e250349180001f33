import pg from 'pg'
import { preparedStatements } from '../sql/prepared.ts'
import { appendChannel, type SqlClient, type SqlDriver } from '../sql/driver.ts'
import { EventStoreError } from '../errors.ts'
import { holdsStore } from '../existing.ts'
import { SqlEventStore, type StoreHooks, type StoreLogger } from '../sql-store.ts'
import type { EventStore } from '../types.ts'

export interface PostgresStoreOptions {
  connectionString: string
  /** The schema holding the store's tables (created if missing); default `public`. */
  schema?: string
  /**
   * false: open only a store that exists, else throw STORE_NOT_FOUND having created nothing (no
   * schema, no tables). Default true: create the schema and the tables if missing.
   */
  create?: boolean
  poolSize?: number
  pageSize?: number
  pollIntervalMs?: number
  hooks?: StoreHooks
  logger?: StoreLogger
}

export const applicationName = 'coord-eventstore'

/** The event store on a PostgreSQL server through `pg`. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<EventStore> {
  const schema = options.schema ?? 'public'
  if (!/^[a-z_][a-z0-9_]{0,50}$/i.test(schema)) throw new Error(`invalid schema name: ${schema}`)
  const config: pg.ClientConfig = {
    connectionString: options.connectionString,
    application_name: applicationName,
    options: `-c search_path="${schema}"`,
  }
  const driver = new PostgresDriver(
    config,
    options.poolSize ?? 10,
    `${appendChannel}_${schema}`,
    options.logger,
  )
  try {
    if (options.create !== false) await driver.query(`create schema if not exists "${schema}"`)
    else if (!(await holdsStore(driver, schema))) {
      throw new EventStoreError('STORE_NOT_FOUND', `schema ${schema} holds no event store`)
    }
    return await SqlEventStore.open(driver, { ...options, channel: driver.channel })
  } catch (error) {
    await driver.close()
    throw error
  }
}

/** The store's statements with parameters are prepared once per connection. */
const statement = preparedStatements('es')

class PostgresDriver implements SqlDriver {
  readonly adapter = 'postgres'
  private readonly pool: pg.Pool

  constructor(
    private readonly config: pg.ClientConfig,
    poolSize: number,
    readonly channel: string,
    private readonly logger: StoreLogger | undefined,
  ) {
    this.pool = new pg.Pool({ ...config, max: poolSize, allowExitOnIdle: true })
    // An idle client whose backend is killed emits here; the pool drops it and makes a new one.
    this.pool.on('error', (err) => logger?.warn({ err }, 'idle database connection lost'))
  }

  async query<Row>(sql: string, params?: unknown[]): Promise<Row[]> {
    const result = await this.pool.query(statement(sql, params))
    return result.rows as Row[]
  }

  async transaction<T>(
    work: (client: SqlClient, opened: Record<string, unknown>[]) => Promise<T>,
    opening?: string,
  ): Promise<T> {
    const client = await this.pool.connect()
    let broken: Error | undefined
    // A checked-out client has no pool listener: a connection cut between two statements would
    // emit an unhandled 'error' and end the process. Note it; the pool then discards the client.
    const lost = (err: Error) => (broken = err)
    client.on('error', lost)
    try {
      // A multi-statement simple query answers one result per statement: BEGIN's, then opening's.
      const begun = (await client.query(opening ? `begin; ${opening}` : 'begin')) as unknown
      const opened = Array.isArray(begun) ? ((begun as pg.QueryResult[])[1]?.rows ?? []) : []
      const tx = {
        query: async <Row>(sql: string, params?: unknown[]) =>
          (await client.query(statement(sql, params))).rows as Row[],
      }
      const result = await work(tx, opened as Record<string, unknown>[])
      await client.query('commit')
      return result
    } catch (error) {
      await client.query('rollback').catch((err: Error) => (broken = err))
      throw error
    } finally {
      client.removeListener('error', lost)
      client.release(broken)
    }
  }

  listen(onAppend: () => void): Promise<() => Promise<void>> {
    const listener = new Listener(this.config, this.channel, onAppend, this.logger)
    return listener.start().then(() => () => listener.stop())
  }

  async close(): Promise<void> {
    await this.pool.end()
  }
}

/**
 * A dedicated LISTEN connection. When it drops, it is made again with backoff; meanwhile
 * subscribers fall back to polling, and a wake-up after reconnecting covers what was missed.
 */
class Listener {
  private client: pg.Client | null = null
  private stopped = false
  private retryTimer: NodeJS.Timeout | null = null

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly channel: string,
    private readonly onAppend: () => void,
    private readonly logger: StoreLogger | undefined,
  ) {}

  async start(attempt = 0): Promise<void> {
    const client = new pg.Client(this.config)
    client.on('notification', () => this.onAppend())
    client.on('error', (err) => this.lost(client, err, attempt))
    client.on('end', () => this.lost(client, new Error('LISTEN connection ended'), attempt))
    this.client = client
    try {
      await client.connect()
      await client.query(`listen "${this.channel}"`)
    } catch (error) {
      this.client = null
      await client.end().catch(() => undefined)
      throw error
    }
    // An idle LISTEN socket must not keep the process alive on its own (the pool allows exit on
    // idle too); stop() refs it again so that close() itself runs to completion.
    socketOf(client)?.unref?.()
    this.onAppend()
  }

  private lost(client: pg.Client, err: Error, attempt: number): void {
    if (this.stopped || this.client !== client) return
    this.client = null
    this.logger?.warn({ err }, 'LISTEN connection lost; reconnecting')
    client.end().catch(() => undefined)
    this.retry(attempt + 1)
  }

  private retry(attempt: number): void {
    if (this.stopped) return
    this.retryTimer = setTimeout(
      () => {
        this.start(attempt).catch(() => this.retry(attempt + 1))
      },
      Math.min(5000, 100 * 2 ** attempt),
    )
    this.retryTimer.unref()
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.retryTimer) clearTimeout(this.retryTimer)
    const client = this.client
    this.client = null
    if (client) socketOf(client)?.ref?.()
    await client?.end().catch(() => undefined)
  }
}

function socketOf(client: pg.Client): { ref?: () => void; unref?: () => void } | undefined {
  return (client as unknown as { connection?: { stream?: { ref?: () => void; unref?: () => void } } })
    .connection?.stream
}
