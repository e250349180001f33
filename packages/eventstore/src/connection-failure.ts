import { isEventStoreError } from './errors.ts'

/** Socket errors that mean the server was never reached, or went away. */
const unreachable = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
])

/** What went wrong between a process and its PostgreSQL server, in words an operator can act on. */
export interface ConnectionFailure {
  /** `cannot reach`, `cannot connect to` (the server refused: role, password, database) or `lost the connection to`. */
  problem: 'cannot reach' | 'cannot connect to' | 'lost the connection to'
  /** The driver's own words (its message, or its code when it has none). */
  detail: string
}

/**
 * The connection failure behind `error` (a store's STORE_UNAVAILABLE, or a `pg` error), or
 * undefined when `error` is anything else: a failure the operator cannot fix by pointing at a
 * server that answers is not one.
 */
export function connectionFailure(error: unknown): ConnectionFailure | undefined {
  const cause = isEventStoreError(error, 'STORE_UNAVAILABLE') ? error.cause : error
  if (!(cause instanceof Error)) return undefined
  const code = (cause as { code?: unknown }).code
  // An AggregateError (several addresses tried) has no message of its own.
  const detail = cause.message || (typeof code === 'string' ? code : 'connection failed')
  if (typeof code === 'string') {
    if (unreachable.has(code) || code.startsWith('08') || /^57P0[1-3]$/.test(code))
      return { problem: 'cannot reach', detail }
    if (code.startsWith('28') || code === '3D000') return { problem: 'cannot connect to', detail }
  }
  if (/Connection terminated|timeout exceeded when trying to connect/i.test(cause.message))
    return { problem: 'lost the connection to', detail }
  return undefined
}

/** `host:port/database` of a PostgreSQL URL, to name it in messages (the password left out). */
export function databaseAddress(url: string): string {
  const { hostname, port, pathname } = new URL(url)
  return `${hostname}:${port || '5432'}${pathname.length > 1 ? pathname : ''}`
}
