import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, loadConfig, parseEnv, type Config } from '@coord/service-kit'
import { defaultReadSchema } from './db.ts'

export interface ProjectorConfig extends Config {
  /** READ_MODEL_SCHEMA: the PostgreSQL schema of the read models; default coord_read. */
  readonly readSchema: string
  /** EVENT_STORE_SCHEMA: the PostgreSQL schema of the event store; default public. */
  readonly storeSchema: string | undefined
  /** PROJECTOR_BATCH_SIZE: events per transaction; default 500. */
  readonly batchSize: number
}

const schemaName = /^[a-z_][a-z0-9_]{0,50}$/i

/** The kit's configuration plus the projector's own variables; the only reader of the environment. */
export function loadProjectorConfig(
  given: Record<string, string | undefined> = process.env,
  options: { envFile?: string | false } = {},
): ProjectorConfig {
  const config = loadConfig(given, options)
  // As for the kit's variables, a value in the real environment wins over the `.env` file.
  const env = { ...envFile(options.envFile), ...given }
  const readSchema = env.READ_MODEL_SCHEMA?.trim() || defaultReadSchema
  const storeSchema = env.EVENT_STORE_SCHEMA?.trim() || undefined
  const batchText = env.PROJECTOR_BATCH_SIZE?.trim() || '500'
  const batchSize = /^\d{1,5}$/.test(batchText) ? Number(batchText) : Number.NaN
  const problems = [
    ...(schemaName.test(readSchema)
      ? []
      : [{ variable: 'READ_MODEL_SCHEMA', message: 'must be a schema name' }]),
    ...(storeSchema === undefined || schemaName.test(storeSchema)
      ? []
      : [{ variable: 'EVENT_STORE_SCHEMA', message: 'must be a schema name' }]),
    ...(batchSize >= 1 && batchSize <= 10_000
      ? []
      : [
          {
            variable: 'PROJECTOR_BATCH_SIZE',
            message: `must be a whole number from 1 to 10000, got '${batchText}'`,
          },
        ]),
  ]
  if (problems.length > 0) throw new ConfigError(problems)
  return Object.freeze({ ...config, readSchema, storeSchema, batchSize })
}

function envFile(name: string | false | undefined): Record<string, string> {
  if (name === false) return {}
  try {
    return parseEnv(readFileSync(join(process.cwd(), name ?? '.env'), 'utf8'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw error
  }
}
