import { createHash } from 'node:crypto'
import type { CommandMetadata, DomainEvent } from '@coord/domain'
import type { EventMetadata, IdempotencyKey } from '@coord/eventstore'
import type { FastifyRequest } from 'fastify'
import { kitErrors } from './errors.ts'

const idempotencyKeyPattern = /^[A-Za-z0-9_.:-]{1,200}$/
const idPattern = /^[A-Za-z0-9_.:-]{1,200}$/
const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/

/**
 * The revision the client last saw: `If-Match: "3"` (or `3`), or a body field `expectedRevision`.
 * Undefined when neither is given; 400 when malformed or when the two disagree.
 */
export function expectedRevisionFrom(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match']
  let fromHeader: number | undefined
  if (header !== undefined) {
    const match = typeof header === 'string' ? /^\s*(?:"(\d{1,15})"|(\d{1,15}))\s*$/.exec(header) : null
    if (!match) {
      throw badRequest('If-Match must be a stream revision such as "3"', 'If-Match')
    }
    fromHeader = Number(match[1] ?? match[2])
  }
  const body = request.body as Record<string, unknown> | null | undefined
  const inBody = typeof body === 'object' && body !== null ? body.expectedRevision : undefined
  if (inBody !== undefined && (typeof inBody !== 'number' || !Number.isSafeInteger(inBody) || inBody < 0)) {
    throw badRequest('expectedRevision must be an integer >= 0', 'expectedRevision')
  }
  if (fromHeader !== undefined && inBody !== undefined && fromHeader !== inBody) {
    throw badRequest('If-Match and expectedRevision disagree', 'expectedRevision')
  }
  return fromHeader ?? inBody
}

/**
 * The request's `Idempotency-Key` (1-200 characters of A-Z a-z 0-9 _ . : -) with a fingerprint
 * of method, URL and canonical body: a retry must repeat all three. Undefined without the header.
 */
export function idempotencyFrom(request: FastifyRequest): IdempotencyKey | undefined {
  const key = request.headers['idempotency-key']
  if (key === undefined) return undefined
  if (typeof key !== 'string' || !idempotencyKeyPattern.test(key)) {
    throw badRequest('Idempotency-Key must be 1-200 characters of A-Z a-z 0-9 _ . : -', 'Idempotency-Key')
  }
  const fingerprint = createHash('sha256')
    .update(`${request.method}\n${request.url}\n${canonicalJson(request.body ?? null)}`)
    .digest('hex')
  return { key, fingerprint }
}

/** What the edge knows about a command besides its data: who, when, and what it follows from. */
export interface CommandContext {
  /** For the command: the actor and `now`, the time the platform accepted it. */
  metadata: CommandMetadata
  correlationId: string
  causationId: string | null
  /** Business time: given by the client where a route allows it, else `now`. */
  occurredAt: string
  /** Metadata for each event the command produces (pass to `executeCommand`). */
  buildMetadata: (event: DomainEvent) => EventMetadata
}

export interface CommandContextOptions {
  /** The body's `occurredAt`, for routes that let clients record when something happened. */
  occurredAt?: string | undefined
}

/**
 * Reads the actor (set by `requireRole`), the clock, `x-correlation-id` (default: the request
 * id) and `x-causation-id` (default: null) once, at the edge, so deciders stay pure. A body with
 * text no event can hold is refused here, naming the field.
 */
export function commandContext(request: FastifyRequest, options: CommandContextOptions = {}): CommandContext {
  const actor = request.actor
  if (!actor) throw kitErrors.make('UNAUTHORIZED', 'the route did not authenticate the caller')
  requireStorableText(request.body, [])
  const now = new Date().toISOString()
  const occurredAt = options.occurredAt === undefined ? now : checkedTime(options.occurredAt)
  const correlationId = headerId(request, 'x-correlation-id') ?? request.id
  const causationId = headerId(request, 'x-causation-id') ?? null
  const eventActor = actor.bureauId === undefined ? { role: actor.role, user: actor.user } : { ...actor }
  return {
    metadata: { actor, now },
    correlationId,
    causationId,
    occurredAt,
    buildMetadata: () => ({ actor: { ...eventActor }, correlationId, causationId, occurredAt }),
  }
}

/** JSON with keys sorted at every level, so `{a,b}` and `{b,a}` fingerprint alike. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

function headerId(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !idPattern.test(value)) {
    throw badRequest(`${name} must be 1-200 characters of A-Z a-z 0-9 _ . : -`, name)
  }
  return value
}

function checkedTime(value: string): string {
  if (!isoDateTime.test(value) || Number.isNaN(Date.parse(value))) {
    throw badRequest('occurredAt must be an ISO 8601 date-time with a time zone', 'occurredAt')
  }
  return value
}

function badRequest(message: string, field: string) {
  return kitErrors.make('BAD_REQUEST', message, { field })
}

/**
 * Refuses a NUL character or a lone UTF-16 surrogate in any string of a command body, with
 * BAD_REQUEST naming the field: events are stored as PostgreSQL jsonb, which holds neither.
 */
function requireStorableText(value: unknown, path: readonly string[]): void {
  if (typeof value === 'string') {
    const problem = value.includes('\u0000')
      ? 'contains a NUL character'
      : value.isWellFormed()
        ? null
        : 'contains a lone UTF-16 surrogate (not Unicode text)'
    if (problem === null) return
    const field = path.join('.')
    throw kitErrors.make('BAD_REQUEST', field === '' ? `the body ${problem}` : `field '${field}' ${problem}`)
  }
  if (value === null || typeof value !== 'object') return
  for (const [key, child] of Object.entries(value)) {
    requireStorableText(key, path)
    requireStorableText(child, [...path, key])
  }
}
