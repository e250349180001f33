import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { PGlite, type Transaction } from '@electric-sql/pglite'
import { preparedStatements } from '@coord/eventstore'
import pg from 'pg'
import { pgCopyFrom } from './copy.ts'

/** A connection (or an open transaction) that runs one statement with positional parameters. */
export interface SqlClient {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>
  /**
   * `copy <table> (<columns>) from` rows in COPY's text format (copy.ts): how a replay appends
   * many rows at once. Clients without it get the rows as multi-row inserts.
   */
  copyFrom?(table: string, columns: string, data: Buffer): Promise<void>
}

/**
 * The read-model database: its own connection, apart from the event store's, so a long read or a
 * rebuild never holds up an append. PGlite in the single process, a `pg` pool on a server.
 */
export interface ReadDb extends SqlClient {
  readonly adapter: 'embedded' | 'postgres'
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>
  /**
   * Runs `work` in a read-only, repeatable-read transaction (one snapshot for all its statements),
   * handing it the rows of `first`, a statement without parameters run as the snapshot's first: on
   * a server the transaction's start and that statement go in one round trip.
   */
  snapshot<Row, T>(first: string, work: (tx: SqlClient, rows: Row[]) => Promise<T>): Promise<T>
  /**
   * A transaction for a projector's batch: `first`, a statement without parameters, runs right after
   * the begin and `work` gets its rows; the statement without parameters `work` resolves with (if
   * any) runs right before the commit. On a server each of those pairs goes in one round trip.
   */
  batch<Row>(first: string, work: (tx: SqlClient, rows: Row[]) => Promise<string | null>): Promise<void>
  close(): Promise<void>
}

/** How a read opens its snapshot: one view of the database for all its statements, no writes. */
const snapshotMode = 'isolation level repeatable read, read only'

export interface ReadDbLogger {
  warn(details: object, message: string): void
}

/** A second PGlite for the read models: in `dataDir` (created if missing) or, without one, in memory. */
export async function openEmbeddedReadDb(options: { dataDir?: string } = {}): Promise<ReadDb> {
  if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true })
  const db = await PGlite.create(options.dataDir)
  return {
    adapter: 'embedded',
    query: async <Row>(sql: string, params?: unknown[]) => (await db.query<Row>(sql, params)).rows,
    transaction: <T>(work: (tx: SqlClient) => Promise<T>) => db.transaction((tx) => work(embeddedClient(tx))),
    snapshot: <Row, T>(first: string, work: (tx: SqlClient, rows: Row[]) => Promise<T>) =>
      db.transaction(async (tx) => {
        await tx.query(`set transaction ${snapshotMode}`)
        return work(embeddedClient(tx), (await tx.query<Row>(first)).rows)
      }),
    batch: <Row>(first: string, work: (tx: SqlClient, rows: Row[]) => Promise<string | null>) =>
      db.transaction(async (tx) => {
        const last = await work(embeddedClient(tx), (await tx.query<Row>(first)).rows)
        if (last !== null) await tx.query(last)
      }),
    close: async () => {
      if (!db.closed) await db.close()
    },
  }
}

function embeddedClient(tx: Transaction): SqlClient {
  return {
    query: async <Row>(sql: string, params?: unknown[]) => (await tx.query<Row>(sql, params)).rows,
    copyFrom: async (table, columns, data) => {
      await tx.query(`copy ${table} (${columns}) from '/dev/blob'`, [], { blob: new Blob([data]) })
    },
  }
}

export interface PostgresReadDbOptions {
  connectionString: string
  /** The schema holding the read-model tables (created if missing); default `coord_read`. */
  schema?: string
  poolSize?: number
  logger?: ReadDbLogger
}

export const defaultReadSchema = 'coord_read'

/** The read models in their own schema of a PostgreSQL database, through a `pg` pool. */
export async function openPostgresReadDb(options: PostgresReadDbOptions): Promise<ReadDb> {
  const schema = options.schema ?? defaultReadSchema
  if (!/^[a-z_][a-z0-9_]{0,50}$/i.test(schema)) throw new Error(`invalid schema name: ${schema}`)
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    application_name: 'coord-projector',
    options: `-c search_path="${schema}"`,
    max: options.poolSize ?? 5,
    allowExitOnIdle: true,
  })
  // An idle client whose backend is killed emits here; the pool drops it and makes a new one.
  pool.on('error', (err) => options.logger?.warn({ err }, 'idle read-model connection lost'))
  const query = async <Row>(sql: string, params?: unknown[]): Promise<Row[]> =>
    (await pool.query(statement(sql, params))).rows as Row[]
  try {
    await query(`create schema if not exists "${schema}"`)
  } catch (error) {
    await pool.end()
    throw error
  }
  return {
    adapter: 'postgres',
    query,
    transaction: (work) => pgTransaction(pool, work),
    snapshot: (first, work) => pgTransaction(pool, work, { mode: snapshotMode, first }),
    batch: async (first, work) => {
      await pgTransaction(pool, work, { first }, (last) => last)
    },
    close: () => pool.end(),
  }
}

/**
 * A statement with parameters runs as a named prepared statement: each connection parses and plans
 * it once, not at every event. The projector's statements are few and repeated thousands of times;
 * their text names the version's tables, so a new version gets statements of its own.
 */
const statement = preparedStatements('rm')

/**
 * One transaction on a client of the pool. With `open`, its `first` statement (no parameters) goes
 * with the `begin` (in `mode`) in one round trip, a simple query of two statements, and its rows
 * are handed to `work`; with `closing`, the statement it makes of `work`'s result (no parameters;
 * null: none) goes with the `commit`.
 */
async function pgTransaction<T, Row = never>(
  pool: pg.Pool,
  work: (tx: SqlClient, rows: Row[]) => Promise<T>,
  open?: { mode?: string; first: string },
  closing?: (result: T) => string | null,
): Promise<T> {
  const client = await pool.connect()
  let broken: Error | undefined
  // A checked-out client has no pool listener: a connection cut between two statements would
  // emit an unhandled 'error' and end the process. Note it; the pool then discards the client.
  const lost = (err: Error) => (broken = err)
  client.on('error', lost)
  try {
    let rows: Row[] = []
    if (open === undefined) await client.query('begin')
    else {
      const begin = open.mode === undefined ? 'begin' : `begin ${open.mode}`
      const results = (await client.query(`${begin}; ${open.first}`)) as unknown as pg.QueryResult[]
      rows = (results[1]?.rows ?? []) as Row[]
    }
    const result = await work(
      {
        query: async <R>(sql: string, params?: unknown[]) =>
          (await client.query(statement(sql, params))).rows as R[],
        copyFrom: (table, columns, data) => pgCopyFrom(client, table, columns, data),
      },
      rows,
    )
    const last = closing?.(result) ?? null
    await client.query(last === null ? 'commit' : `${last}; commit`)
    return result
  } catch (error) {
    await client.query('rollback').catch((err: Error) => (broken = err))
    throw error
  } finally {
    client.removeListener('error', lost)
    client.release(broken)
  }
}

export interface ReadDbConfig {
  /** PostgreSQL URL; unset: PGlite under `<dataDir>/read-models`. */
  databaseUrl?: string | undefined
  dataDir: string
  schema?: string | undefined
  logger?: ReadDbLogger
}

/** The read-model database a deployment asked for, beside its event store. */
export function openReadDb(config: ReadDbConfig): Promise<ReadDb> {
  if (config.databaseUrl) {
    return openPostgresReadDb({
      connectionString: config.databaseUrl,
      ...(config.schema ? { schema: config.schema } : {}),
      ...(config.logger ? { logger: config.logger } : {}),
    })
  }
  return openEmbeddedReadDb({ dataDir: join(config.dataDir, 'read-models') })
}

/** Whether a database error says a table does not exist (SQLSTATE 42P01), e.g. a version just dropped. */
export function isUndefinedTable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '42P01'
}
