import type { FastifyRequest } from 'fastify'
import { gatewayErrors } from './errors.ts'
import type { ProjectionSource } from './subscriptions/source.ts'

/** The header a query names the log position it must see with (read-your-writes). */
export const waitForHeader = 'x-coord-wait-for-position'

/** The position the request asks for, or undefined; a malformed header is a 400. */
export function requestedPosition(request: FastifyRequest): number | undefined {
  const value = request.headers[waitForHeader]
  if (value === undefined) return undefined
  const text = Array.isArray(value) ? value.join(',') : value
  if (!/^\d{1,15}$/.test(text.trim()))
    throw gatewayErrors.make('INVALID_WAIT_FOR', `got '${text.slice(0, 40)}'`)
  return Number(text.trim())
}

/**
 * Holds the request until the read models include the position it names, at most `timeoutMs`;
 * then the source rejects with PROJECTION_TIMEOUT (504), so a client never reads stale data
 * believing it is fresh.
 */
export async function awaitPosition(request: FastifyRequest, source: ProjectionSource, timeoutMs: number) {
  const position = requestedPosition(request)
  if (position !== undefined && position > 0) await source.waitFor(position, timeoutMs)
}
