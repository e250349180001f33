import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ConfigError, type ConfigProblem } from './config-error.ts'
import { readEnvFile } from './env-file.ts'
import { fileProblem } from './file-problem.ts'

// The errors a configuration is refused with, for importers of this module alone (`@coord/service-kit/config`).
export { ConfigError, type ConfigProblem }

export const nodeEnvs = ['production', 'development', 'test'] as const
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export const minJwtSecretLength = 32

export type NodeEnv = (typeof nodeEnvs)[number]
export type LogLevel = (typeof logLevels)[number]

/** Everything a service reads from its environment, checked once. */
export interface Config {
  readonly nodeEnv: NodeEnv
  /** PostgreSQL URL; undefined: the embedded store in `dataDir`. */
  readonly databaseUrl: string | undefined
  /** Absolute path of the data directory (embedded store, dev secret). */
  readonly dataDir: string
  /** Kafka bootstrap brokers as host:port; empty: the relay is off. */
  readonly kafkaBrokers: readonly string[]
  readonly port: number
  readonly host: string
  readonly logLevel: LogLevel
  readonly jwt: { readonly secret: string; readonly issuer: string; readonly audience: string }
  /** Ed25519 private key (PEM) for signing audit tree heads; optional. */
  readonly signingKeyFile: string | undefined
}

export interface LoadConfigOptions {
  /** Directory holding `.env` and against which DATA_DIR is resolved; default the process's. */
  cwd?: string
  /** The env file name, or false to read none; default `.env`. */
  envFile?: string | false
}

type Env = Record<string, string | undefined>

/**
 * Reads the configuration from `env` (default `process.env`) over an optional `.env` file: a
 * variable set in the real environment wins. Throws a `ConfigError` naming each bad variable.
 */
export function loadConfig(env: Env = process.env, options: LoadConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd()
  const fromFile = options.envFile === false ? {} : readEnvFile(join(cwd, options.envFile ?? '.env'))
  const read = (name: string): string | undefined => {
    const value = env[name] ?? fromFile[name]
    return value === undefined || value.trim() === '' ? undefined : value.trim()
  }
  const problems: ConfigProblem[] = []
  const fail = (variable: string, message: string): undefined => {
    problems.push({ variable, message })
  }

  const nodeEnv = oneOf(read('NODE_ENV') ?? 'development', nodeEnvs, 'NODE_ENV', fail)
  const logLevel = oneOf(read('LOG_LEVEL') ?? 'info', logLevels, 'LOG_LEVEL', fail)
  const port = parsePort(read('PORT') ?? '3000', fail)
  const host = read('HOST') ?? '127.0.0.1'
  const databaseUrl = parseDatabaseUrl(read('DATABASE_URL'), fail)
  const kafkaBrokers = parseBrokers(read('KAFKA_BROKERS'), fail)
  const dataDir = resolve(cwd, read('DATA_DIR') ?? './data')
  const issuer = read('JWT_ISSUER') ?? 'coord-platform'
  const audience = read('JWT_AUDIENCE') ?? 'coord-api'
  const signingKeyFile = read('SIGNING_KEY_FILE')
  const givenSecret = read('JWT_SECRET')
  if (givenSecret !== undefined && givenSecret.length < minJwtSecretLength) {
    // Never echo the secret itself.
    fail('JWT_SECRET', `must have at least ${minJwtSecretLength} characters, it has ${givenSecret.length}`)
  }
  if (givenSecret === undefined && nodeEnv === 'production') {
    fail('JWT_SECRET', `is required in production (at least ${minJwtSecretLength} characters)`)
  }
  if (problems.length > 0 || nodeEnv === undefined || logLevel === undefined || port === undefined) {
    throw new ConfigError(problems)
  }
  const secret = givenSecret ?? developmentSecret(nodeEnv, dataDir)
  return Object.freeze({
    nodeEnv,
    databaseUrl,
    dataDir,
    kafkaBrokers: Object.freeze(kafkaBrokers ?? []),
    port,
    host,
    logLevel,
    jwt: Object.freeze({ secret, issuer, audience }),
    signingKeyFile: signingKeyFile === undefined ? undefined : resolve(cwd, signingKeyFile),
  })
}

type Fail = (variable: string, message: string) => undefined

function oneOf<T extends string>(
  value: string,
  allowed: readonly T[],
  name: string,
  fail: Fail,
): T | undefined {
  if ((allowed as readonly string[]).includes(value)) return value as T
  return fail(name, `must be one of ${allowed.join(', ')}, got '${value}'`)
}

function parsePort(value: string, fail: Fail): number | undefined {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN
  if (port >= 0 && port <= 65535) return port
  return fail('PORT', `must be an integer from 0 to 65535, got '${value}'`)
}

function parseDatabaseUrl(value: string | undefined, fail: Fail): string | undefined {
  if (value === undefined) return undefined
  let protocol = ''
  try {
    protocol = new URL(value).protocol
  } catch {
    // reported below
  }
  if (protocol === 'postgres:' || protocol === 'postgresql:') return value
  // The URL may hold a password: name the variable, not the value.
  return fail('DATABASE_URL', 'must be a postgres:// or postgresql:// URL')
}

function parseBrokers(value: string | undefined, fail: Fail): string[] | undefined {
  if (value === undefined) return []
  const brokers = value.split(',').map((b) => b.trim())
  const bad = brokers.find((b) => !/^[A-Za-z0-9.-]+:\d{1,5}$/.test(b) || Number(b.split(':')[1]) > 65535)
  if (bad === undefined) return brokers
  return fail('KAFKA_BROKERS', `must be a comma-separated list of host:port, got '${bad}'`)
}

/**
 * Development keeps one generated secret in the data directory so the server and `coord token`
 * agree across restarts; tests get a fresh one in memory and write nothing.
 */
function developmentSecret(nodeEnv: NodeEnv, dataDir: string): string {
  if (nodeEnv === 'test') return randomBytes(32).toString('base64url')
  try {
    return storedSecret(join(dataDir, 'dev-jwt-secret'), dataDir)
  } catch (error) {
    const problem = fileProblem(error)
    if (problem === undefined) throw error
    throw new ConfigError([
      {
        variable: 'DATA_DIR',
        message: `cannot keep the development JWT secret (${problem}): set DATA_DIR to a directory this process may write, or set JWT_SECRET`,
      },
    ])
  }
}

function storedSecret(path: string, dataDir: string): string {
  const stored = readSecretFile(path)
  if (stored !== undefined) return stored
  mkdirSync(dataDir, { recursive: true })
  try {
    writeFileSync(path, `${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 })
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  return readSecretFile(path) ?? failSecretFile(path)
}

function readSecretFile(path: string): string | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8').trim()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  return text.length >= minJwtSecretLength ? text : failSecretFile(path)
}

function failSecretFile(path: string): never {
  throw new ConfigError([
    { variable: 'JWT_SECRET', message: `unset, and ${path} does not hold a usable development secret` },
  ])
}
