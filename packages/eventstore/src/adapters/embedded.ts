import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { EventStoreError } from '../errors.ts'
import { holdsStore, requireDataDir } from '../existing.ts'
import type { SqlClient, SqlDriver } from '../sql/driver.ts'
import { SqlEventStore, type StoreHooks, type StoreLogger } from '../sql-store.ts'
import type { EventStore } from '../types.ts'

export interface EmbeddedStoreOptions {
  /** Directory holding the database files; omitted: in memory (tests). */
  dataDir?: string
  /**
   * false: open only a store that exists, else throw STORE_NOT_FOUND having created nothing (a
   * missing or empty directory stays so). Default true: create the database and the tables.
   */
  create?: boolean
  pageSize?: number
  hooks?: StoreHooks
  logger?: StoreLogger
}

/**
 * The event store on PGlite (PostgreSQL compiled to WebAssembly) inside this process: the same
 * SQL as the server adapter, no server to run. Only this process writes, so no NOTIFY is needed.
 */
export async function openEmbeddedStore(options: EmbeddedStoreOptions = {}): Promise<EventStore> {
  if (options.create === false) requireDataDir(options.dataDir)
  // Made here rather than by PGlite, whose errors about a directory it cannot make or use name
  // neither the path nor the reason (an Emscripten errno).
  else if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true })
  const db = await PGlite.create(options.dataDir)
  const driver = new EmbeddedDriver(db)
  try {
    if (options.create === false && !(await holdsStore(driver, null))) {
      throw new EventStoreError('STORE_NOT_FOUND', `${options.dataDir} holds no event store`)
    }
    return await SqlEventStore.open(driver, { ...options, channel: null, pollIntervalMs: 60_000 })
  } catch (error) {
    await driver.close()
    throw error
  }
}

/** PGlite as the store's driver (the store and its tests build on it). */
export class EmbeddedDriver implements SqlDriver {
  readonly adapter = 'embedded'

  constructor(private readonly db: PGlite) {}

  async query<Row>(sql: string, params?: unknown[]): Promise<Row[]> {
    return (await this.db.query<Row>(sql, params)).rows
  }

  transaction<T>(
    work: (client: SqlClient, opened: Record<string, unknown>[]) => Promise<T>,
    opening?: string,
  ): Promise<T> {
    return this.db.transaction(async (tx) => {
      const opened = opening ? (await tx.query<Record<string, unknown>>(opening)).rows : []
      const client = {
        query: async <Row>(sql: string, params?: unknown[]) => (await tx.query<Row>(sql, params)).rows,
      }
      return work(client, opened)
    })
  }

  listen(): Promise<() => Promise<void>> {
    return Promise.resolve(() => Promise.resolve())
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close()
  }
}
