import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'

/** A connection (or an open transaction) that runs one statement with positional parameters. */
export interface SqlClient {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>
}

/**
 * The notary's own database, apart from the event store's connections: PGlite in the single
 * process, a `pg` pool on a server with the tables in a schema of their own.
 */
export interface NotaryDb extends SqlClient {
  readonly adapter: 'embedded' | 'postgres'
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/** A PGlite for the notary: in `dataDir` (created if missing) or, without one, in memory. */
export async function openEmbeddedNotaryDb(options: { dataDir?: string } = {}): Promise<NotaryDb> {
  if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true })
  const db = await PGlite.create(options.dataDir)
  return {
    adapter: 'embedded',
    query: async <Row>(sql: string, params?: unknown[]) => (await db.query<Row>(sql, params)).rows,
    transaction: <T>(work: (tx: SqlClient) => Promise<T>) =>
      db.transaction((tx) =>
        work({
          query: async <Row>(sql: string, params?: unknown[]) => (await tx.query<Row>(sql, params)).rows,
        }),
      ),
    close: async () => {
      if (!db.closed) await db.close()
    },
  }
}

export const defaultNotarySchema = 'coord_notary'
export const schemaNamePattern = /^[a-z_][a-z0-9_]{0,50}$/i

export interface PostgresNotaryDbOptions {
  connectionString: string
  /** The schema holding the notary's tables (created if missing); default `coord_notary`. */
  schema?: string
  poolSize?: number
  logger?: { warn(details: object, message: string): void }
}

/** The notary's tables in their own schema of a PostgreSQL database, through a `pg` pool. */
export async function openPostgresNotaryDb(options: PostgresNotaryDbOptions): Promise<NotaryDb> {
  const schema = options.schema ?? defaultNotarySchema
  if (!schemaNamePattern.test(schema)) throw new Error(`invalid schema name: ${schema}`)
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    application_name: 'coord-notary',
    options: `-c search_path="${schema}"`,
    max: options.poolSize ?? 3,
    allowExitOnIdle: true,
  })
  pool.on('error', (err) => options.logger?.warn({ err }, 'idle notary connection lost'))
  const query = async <Row>(sql: string, params?: unknown[]): Promise<Row[]> =>
    (await pool.query(sql, params)).rows as Row[]
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
    close: () => pool.end(),
  }
}

async function pgTransaction<T>(pool: pg.Pool, work: (tx: SqlClient) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  let broken: Error | undefined
  // A checked-out client has no pool listener: a connection cut between two statements would
  // emit an unhandled 'error' and end the process. Note it; the pool then discards the client.
  const lost = (err: Error) => (broken = err)
  client.on('error', lost)
  try {
    await client.query('begin')
    const result = await work({
      query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[],
    })
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

export interface NotaryDbConfig {
  /** PostgreSQL URL; unset: PGlite under `<dataDir>/notary`, or in memory when `inMemory`. */
  databaseUrl?: string | undefined
  dataDir: string
  schema?: string | undefined
  /** Keep the embedded database in memory (tests); ignored with a URL. */
  inMemory?: boolean
  logger?: { warn(details: object, message: string): void }
}

/** The notary database a deployment asked for, beside its event store. */
export function openNotaryDb(config: NotaryDbConfig): Promise<NotaryDb> {
  if (config.databaseUrl) {
    return openPostgresNotaryDb({
      connectionString: config.databaseUrl,
      ...(config.schema ? { schema: config.schema } : {}),
      ...(config.logger ? { logger: config.logger } : {}),
    })
  }
  return openEmbeddedNotaryDb(config.inMemory ? {} : { dataDir: join(config.dataDir, 'notary') })
}
