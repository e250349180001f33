import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, loadConfig, parseEnv, type Config } from '@coord/service-kit'
import { defaultNotarySchema, schemaNamePattern } from './db.ts'

export interface NotaryConfig extends Config {
  /** NOTARY_SCHEMA: the PostgreSQL schema of the notary's tables; default coord_notary. */
  readonly notarySchema: string
  /** EVENT_STORE_SCHEMA: the PostgreSQL schema of the event store; default public. */
  readonly storeSchema: string | undefined
  /** NOTARY_HEAD_INTERVAL_SECONDS: how often a head is signed when the log grew; default 3600, 0 off. */
  readonly headIntervalMs: number
}

/** The kit's configuration plus the notary's own variables; the only reader of the environment. */
export function loadNotaryConfig(
  given: Record<string, string | undefined> = process.env,
  options: { envFile?: string | false } = {},
): NotaryConfig {
  const config = loadConfig(given, options)
  // As for the kit's variables, a value in the real environment wins over the `.env` file.
  const env = { ...envFile(options.envFile), ...given }
  const notarySchema = env.NOTARY_SCHEMA?.trim() || defaultNotarySchema
  const storeSchema = env.EVENT_STORE_SCHEMA?.trim() || undefined
  const intervalText = env.NOTARY_HEAD_INTERVAL_SECONDS?.trim() || '3600'
  const interval = /^\d{1,7}$/.test(intervalText) ? Number(intervalText) : Number.NaN
  const problems = [
    ...(schemaNamePattern.test(notarySchema)
      ? []
      : [{ variable: 'NOTARY_SCHEMA', message: 'must be a schema name' }]),
    ...(storeSchema === undefined || schemaNamePattern.test(storeSchema)
      ? []
      : [{ variable: 'EVENT_STORE_SCHEMA', message: 'must be a schema name' }]),
    ...(interval >= 0 && interval <= 31_536_000
      ? []
      : [
          {
            variable: 'NOTARY_HEAD_INTERVAL_SECONDS',
            message: `must be a whole number of seconds from 0 to 31536000, got '${intervalText}'`,
          },
        ]),
    ...(config.nodeEnv === 'production' && config.signingKeyFile === undefined
      ? [
          {
            variable: 'SIGNING_KEY_FILE',
            message: 'is required in production (an Ed25519 private key in PEM)',
          },
        ]
      : []),
  ]
  if (problems.length > 0) throw new ConfigError(problems)
  return Object.freeze({ ...config, notarySchema, storeSchema, headIntervalMs: interval * 1000 })
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
