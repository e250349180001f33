import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify'
import type { Command, Decider, DomainEvent } from '@coord/domain'
import type { EventStore } from '@coord/eventstore'
import { Type, type TSchema, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { executeCommand, type CommandResult } from './command.ts'
import { commandContext, expectedRevisionFrom, idempotencyFrom } from './request.ts'

/** A Fastify instance whose routes take their types from TypeBox schemas. */
export type TypedApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>

/** Fields every command body may carry besides its own. */
export const commandFields = {
  /** Business time: when it happened (e.g. the meeting date), if not now. */
  occurredAt: Type.Optional(Type.String({ format: 'date-time' })),
  /** The stream revision the client last saw; the If-Match header does the same. */
  expectedRevision: Type.Optional(Type.Integer({ minimum: 0 })),
}

/** A command body: its own fields plus the common ones, unknown fields rejected. */
export function commandBody<P extends Record<string, TSchema>>(properties: P) {
  return Type.Object({ ...properties, ...commandFields }, { additionalProperties: false })
}

export const commandResult = Type.Object({
  streamId: Type.String(),
  revision: Type.Integer(),
  position: Type.Integer(),
  events: Type.Array(Type.String()),
})

/** Runs one command from a request: actor, time, revision and idempotency key come from the edge. */
export function runCommand<C extends Command, E extends DomainEvent, S>(
  store: EventStore,
  request: FastifyRequest,
  streamId: string,
  decider: Decider<C, E, S>,
  command: { type: C['type']; data: C['data'] },
  options: { clientKeys?: boolean } = {},
): Promise<CommandResult> {
  // A step a route takes on its own (e.g. each task of an import) is not the client's command:
  // the client's If-Match and Idempotency-Key belong to the route's main stream only.
  const clientKeys = options.clientKeys ?? true
  const body = (request.body ?? {}) as { occurredAt?: string }
  const context = commandContext(request, { occurredAt: body.occurredAt })
  return executeCommand({
    store,
    streamId,
    decider,
    command: { ...command, metadata: context.metadata } as C,
    expectedRevision: clientKeys ? expectedRevisionFrom(request) : undefined,
    idempotency: clientKeys ? idempotencyFrom(request) : undefined,
    buildMetadata: context.buildMetadata,
  })
}

/** Strips the common fields, leaving the command's own data. */
export function commandData<B extends { occurredAt?: string; expectedRevision?: number }>(
  body: B,
): Omit<B, 'occurredAt' | 'expectedRevision'> {
  const { occurredAt: _o, expectedRevision: _e, ...data } = body
  return data
}

/** Folds a stream into its aggregate's state, with the revision and position it stands at. */
export async function readAggregate<C extends Command, E extends DomainEvent, S>(
  store: EventStore,
  streamId: string,
  decider: Decider<C, E, S>,
  notFound: () => Error,
): Promise<{ streamId: string; revision: number; position: number; state: S }> {
  let state = decider.initialState
  let revision = 0
  let position = 0
  for await (const event of store.readStream(streamId)) {
    state = decider.evolve(state, { type: event.type, data: event.data } as E)
    revision = event.revision
    position = event.position
  }
  if (revision === 0) throw notFound()
  return { streamId, revision, position, state }
}

/**
 * A preValidation hook: a POST without a body is validated as `{}`, so a command without fields
 * may leave its body out and the schema alone decides about every body that comes.
 */
export function emptyBodyAsObject(request: FastifyRequest, _reply: unknown, done: () => void): void {
  if (request.method === 'POST' && request.body === undefined) request.body = {}
  done()
}
