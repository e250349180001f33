import { EventStoreError } from './errors.ts'

const connectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
])

/**
 * True when the database could not be reached or dropped the connection (as opposed to refusing
 * a statement): PostgreSQL's class 08 and 57P0x codes, socket errors, pg's own messages.
 */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = (error as { code?: unknown }).code
  if (
    typeof code === 'string' &&
    (connectionCodes.has(code) || code.startsWith('08') || /^57P0[1-3]$/.test(code))
  ) {
    return true
  }
  return /Connection terminated|connection error|Client was closed|timeout exceeded when trying to connect/i.test(
    error.message,
  )
}

/** Store errors pass through; a lost database becomes STORE_UNAVAILABLE; anything else stays. */
export function toStoreError(error: unknown): unknown {
  if (error instanceof EventStoreError) return error
  if (isConnectionError(error)) {
    return new EventStoreError('STORE_UNAVAILABLE', (error as Error).message, { cause: error })
  }
  return error
}
