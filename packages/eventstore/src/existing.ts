import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { EventStoreError } from './errors.ts'
import type { SqlDriver } from './sql/driver.ts'

/**
 * Whether a schema holds a store: its events table is there. `schema` null: the connection's
 * current schema (PGlite). A catalogue read, so it writes nothing.
 */
export async function holdsStore(driver: SqlDriver, schema: string | null): Promise<boolean> {
  const [row] = await driver.query<{ found: boolean }>(
    schema === null
      ? `select to_regclass('es_events') is not null as found`
      : `select to_regclass(format('%I.es_events', $1::text)) is not null as found`,
    schema === null ? [] : [schema],
  )
  return row?.found === true
}

/** Refuses, before PGlite would create it, a data directory that holds no database. */
export function requireDataDir(dataDir: string | undefined): void {
  if (dataDir === undefined) {
    throw new EventStoreError('STORE_NOT_FOUND', 'an in-memory store exists only once created')
  }
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    throw new EventStoreError('STORE_NOT_FOUND', `${dataDir} holds no database`)
  }
}
