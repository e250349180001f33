import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, loadConfig, parseEnv, type Config, type ConfigProblem } from '@coord/service-kit'
import { defaultLimits, type GatewayLimits } from './limits.ts'

export interface GatewayConfig extends Config {
  /** READ_MODEL_SCHEMA: the PostgreSQL schema of the read models; default coord_read. */
  readonly readSchema: string
  /** EVENT_STORE_SCHEMA: the PostgreSQL schema of the event store; default public. */
  readonly storeSchema: string | undefined
  /** GATEWAY_WAIT_TIMEOUT_MS: how long a query waits for X-Coord-Wait-For-Position; default 5000. */
  readonly waitTimeoutMs: number
  /** GATEWAY_POLL_INTERVAL_MS: how often a gateway running alone reads the read models' checkpoint; default 100. */
  readonly pollIntervalMs: number
  /** GATEWAY_JIT: `on` (default) compiles a query with graphql-jit once it has run once; `off` interprets. */
  readonly jit: boolean
  /** GATEWAY_MAX_DEPTH, GATEWAY_MAX_COST, GATEWAY_MAX_ALIASES, GATEWAY_MAX_TOKENS; introspection off in production. */
  readonly limits: GatewayLimits
  /** The GraphiQL IDE at /graphiql: on unless NODE_ENV=production. */
  readonly ide: boolean
}

const schemaName = /^[a-z_][a-z0-9_]{0,50}$/i

/** The kit's configuration plus the gateway's own variables; the only reader of the environment. */
export function loadGatewayConfig(
  given: Record<string, string | undefined> = process.env,
  options: { envFile?: string | false } = {},
): GatewayConfig {
  const config = loadConfig(given, options)
  const env = { ...envFile(options.envFile), ...given }
  const problems: ConfigProblem[] = []
  const text = (name: string) => env[name]?.trim() || undefined
  const whole = (name: string, fallback: number, min: number, max: number): number => {
    const value = text(name) ?? String(fallback)
    const parsed = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN
    if (parsed >= min && parsed <= max) return parsed
    problems.push({ variable: name, message: `must be a whole number from ${min} to ${max}, got '${value}'` })
    return fallback
  }
  const readSchema = text('READ_MODEL_SCHEMA') ?? 'coord_read'
  const storeSchema = text('EVENT_STORE_SCHEMA')
  if (!schemaName.test(readSchema))
    problems.push({ variable: 'READ_MODEL_SCHEMA', message: 'must be a schema name' })
  if (storeSchema !== undefined && !schemaName.test(storeSchema)) {
    problems.push({ variable: 'EVENT_STORE_SCHEMA', message: 'must be a schema name' })
  }
  const jitText = text('GATEWAY_JIT') ?? 'on'
  if (jitText !== 'on' && jitText !== 'off')
    problems.push({ variable: 'GATEWAY_JIT', message: 'must be on or off' })
  const production = config.nodeEnv === 'production'
  const limits: GatewayLimits = Object.freeze({
    ...defaultLimits,
    maxDepth: whole('GATEWAY_MAX_DEPTH', defaultLimits.maxDepth, 2, 50),
    maxCost: whole('GATEWAY_MAX_COST', defaultLimits.maxCost, 10, 10_000_000),
    maxAliases: whole('GATEWAY_MAX_ALIASES', defaultLimits.maxAliases, 0, 10_000),
    maxTokens: whole('GATEWAY_MAX_TOKENS', defaultLimits.maxTokens, 100, 1_000_000),
    introspection: !production,
  })
  const waitTimeoutMs = whole('GATEWAY_WAIT_TIMEOUT_MS', 5000, 1, 60_000)
  const pollIntervalMs = whole('GATEWAY_POLL_INTERVAL_MS', 100, 5, 10_000)
  if (problems.length > 0) throw new ConfigError(problems)
  return Object.freeze({
    ...config,
    readSchema,
    storeSchema,
    waitTimeoutMs,
    pollIntervalMs,
    jit: jitText === 'on',
    limits,
    ide: !production,
  })
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
