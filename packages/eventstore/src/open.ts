import { openEmbeddedStore } from './adapters/embedded.ts'
import { openPostgresStore } from './adapters/postgres.ts'
import type { StoreLogger } from './sql-store.ts'
import type { EventStore } from './types.ts'

export interface EventStoreConfig {
  /** PostgreSQL URL; unset: the embedded store in `dataDir`. */
  databaseUrl?: string | undefined
  dataDir: string
  schema?: string
  /** false: open only a store that exists (STORE_NOT_FOUND otherwise, nothing created). */
  create?: boolean
  logger?: StoreLogger
}

/** The store a deployment asked for: PostgreSQL when a URL is given, else embedded. */
export function openEventStore(config: EventStoreConfig): Promise<EventStore> {
  if (config.databaseUrl) {
    return openPostgresStore({
      connectionString: config.databaseUrl,
      ...(config.schema ? { schema: config.schema } : {}),
      ...(config.create === false ? { create: false } : {}),
      ...(config.logger ? { logger: config.logger } : {}),
    })
  }
  return openEmbeddedStore({
    dataDir: config.dataDir,
    ...(config.create === false ? { create: false } : {}),
    ...(config.logger ? { logger: config.logger } : {}),
  })
}
