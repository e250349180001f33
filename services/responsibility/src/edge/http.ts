import type { FastifyRequest } from 'fastify'
import { bureauKinds, listKinds, registryIdPattern } from '@coord/events/responsibility'
import { Type, commandContext, expectedRevisionFrom, idempotencyFrom, requireRole } from '@coord/service-kit'
import { businessDay } from '../days.ts'
import { requireDay } from '../domain-errors.ts'
import type { RunContext } from './execute.ts'

// What the routes share: who may call them, the schemas of their fields, and the command context.

/** The planner manages the registry, the lists and reorganisations. */
export const writers = requireRole('planner')
/** Every role reads. */
export const readers = requireRole('planner', 'secretariat', 'supervisor', 'bureau', 'auditor', 'system')

export const day = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'a calendar day, YYYY-MM-DD',
})
export const text = (maxLength: number) => Type.String({ minLength: 1, maxLength })
export const id = Type.String({ pattern: registryIdPattern })
export const reason = text(2000)
export const listKind = Type.Union(listKinds.map((kind) => Type.Literal(kind)))
export const bureauKind = Type.Union(bureauKinds.map((kind) => Type.Literal(kind)))
export const names = { nameZh: text(200), nameEn: text(300), shortName: text(100) }
export const dutyContent = { title: text(500), category: text(100), legalBasis: text(2000) }

export const bureauParams = Type.Object({ bureauId: id }, { additionalProperties: false })
export const listParams = Type.Object({ bureauId: id, listKind }, { additionalProperties: false })
export const dutyParams = Type.Object({ bureauId: id, listKind, dutyId: id }, { additionalProperties: false })
export const asOfQuery = Type.Object({ asOf: Type.Optional(day) }, { additionalProperties: false })

/**
 * The day a query asks about; today in China Standard Time when it names none. A day of the right
 * shape that the calendar lacks (2019-02-30) is INVALID_DATE, as in commands.
 */
export function asOfDay(asOf: string | undefined): string {
  return asOf === undefined ? businessDay(new Date()) : requireDay(asOf, 'asOf')
}

/**
 * The context of a command sent from a request. The client's If-Match and Idempotency-Key belong
 * to the route's main stream; a further step (the receiving side of a transfer) gets a key of its
 * own derived from the client's, so a retry completes it too.
 */
export function requestContext(request: FastifyRequest, step?: string): RunContext {
  const body = (request.body ?? {}) as { occurredAt?: string }
  const context = commandContext(request, { occurredAt: body.occurredAt })
  const idempotency = idempotencyFrom(request)
  return {
    metadata: context.metadata,
    buildMetadata: context.buildMetadata,
    expectedRevision: step === undefined ? expectedRevisionFrom(request) : undefined,
    idempotency:
      idempotency && step !== undefined ? { ...idempotency, key: `${idempotency.key}:${step}` } : idempotency,
  }
}
