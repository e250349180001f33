import { randomBytes } from 'node:crypto'
import {
  connectionFailure,
  databaseAddress,
  isEventStoreError,
  openEventStore,
  type EventStore,
} from '@coord/eventstore'
import { loadConfig, type Config } from '@coord/service-kit/config'
import { CliError } from './cli.ts'

const schemaPattern = /^[a-z_][a-z0-9_]{0,50}$/i

/** A usage error unless `value` (of `option`) is a schema name the store accepts. */
export function checkSchema(value: string | undefined, option = '--schema'): void {
  if (value !== undefined && !schemaPattern.test(value)) {
    throw new CliError(`${option} must be a schema name, got '${value}'`)
  }
}

/**
 * The configuration of a command that reads the store and signs no token: a throwaway JWT secret
 * stands in, so that none is required, nor generated in DATA_DIR (which such a command leaves as
 * it found it when there is no store to read).
 */
export function storeConfig(): Config {
  return loadConfig({ ...process.env, JWT_SECRET: randomBytes(32).toString('base64url') })
}

/** Where the store is, to name it in messages; the URL's password is left out. */
export function storePlace(config: Config, schema: string | undefined): string {
  if (!config.databaseUrl) return `${config.dataDir} (DATA_DIR)`
  return `schema ${schema ?? 'public'} of the database at ${databaseAddress(config.databaseUrl)}`
}

/**
 * The store to read, which must exist: opening creates nothing, and a missing store is a usage
 * error naming where it was looked for.
 */
export async function openExistingStore(config: Config, schema: string | undefined): Promise<EventStore> {
  try {
    return await openEventStore({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      ...(schema ? { schema } : {}),
      create: false,
    })
  } catch (error) {
    if (!isEventStoreError(error, 'STORE_NOT_FOUND')) throw error
    const hint = config.databaseUrl
      ? 'check --schema and DATABASE_URL'
      : 'check DATA_DIR, or set DATABASE_URL'
    throw new CliError(`no event store in ${storePlace(config, schema)}: nothing to read (${hint})`)
  }
}

/**
 * Runs `work` against the database at `databaseUrl` (none: the embedded store), turning a server
 * that cannot be reached, or refuses the connection, into a one-line failure (exit 1).
 */
export async function onDatabase<T>(databaseUrl: string | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    const failure = databaseUrl ? connectionFailure(error) : undefined
    if (failure === undefined) throw error
    throw new CliError(
      `${failure.problem} the database at ${databaseAddress(databaseUrl as string)}: ${failure.detail}`,
      1,
    )
  }
}
