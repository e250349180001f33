import type { FastifyInstance } from 'fastify'
import {
  GraphQLError,
  Source,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ValidationRule,
} from 'graphql'
import { formatErrors } from '../error-formatter.ts'
import { gatewayErrors } from '../errors.ts'
import type { SocketSession } from './session.ts'

export interface SocketGuardOptions {
  /** The validation rules HTTP documents pass (the limits among them). */
  rules: readonly ValidationRule[]
  maxTokens: number
}

/** What the subscription context carries: the connection's session. */
interface SocketContext {
  session?: SocketSession
}

/**
 * Holds WebSocket subscriptions to what HTTP queries pass: the token limit, the validation rules
 * (with their `extensions.code`), and a token that has not expired (the connection's
 * `SocketSession`, armed at connection_init by `closeAtTokenExpiry`, closes it at the expiry; a
 * subscribe in the moment before is refused here). A subscribe reusing the id of a running
 * subscription closes the connection. Call it once mercurius is registered.
 */
export function guardSockets(app: FastifyInstance, options: SocketGuardOptions): void {
  const fail = (errors: readonly GraphQLError[]) => socketError(app, errors)

  app.graphql.addHook('preSubscriptionParsing', (_schema, source, context, id) => {
    const { session } = context as SocketContext
    if (session?.expired) {
      session.closeExpired()
      throw fail([wrap(gatewayErrors.make('UNAUTHENTICATED', 'the token has expired'))])
    }
    const key = String(id)
    if (session?.running(key)) {
      session.closeDuplicate(key)
      throw fail([wrap(gatewayErrors.make('BAD_USER_INPUT', `Subscriber for ${key} already exists`))])
    }
    try {
      parse(source, { maxTokens: options.maxTokens })
    } catch (error) {
      throw fail([error instanceof GraphQLError ? error : wrap(error as Error)])
    }
    session?.start(key)
    return Promise.resolve()
  })
  app.graphql.addHook('onSubscriptionEnd', (context, id) => {
    ;(context as SocketContext | null)?.session?.cancel(String(id))
    return Promise.resolve()
  })
  app.graphql.addHook('preSubscriptionExecution', (schema, document: DocumentNode) => {
    // A document sent as JSON rather than text skipped the token limit: only text is taken.
    if (!(document.loc?.source instanceof Source)) {
      throw fail([wrap(gatewayErrors.make('BAD_USER_INPUT', 'the query must be a string'))])
    }
    const errors = validate(schema, document, [...specifiedRules, ...options.rules])
    if (errors.length > 0) throw fail(errors)
    return Promise.resolve()
  })
}

/** The token of a connection_init payload: `{ authorization: 'Bearer …' }` (or under `headers`). */
export function bearerOf(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null) return null
  const record = payload as Record<string, unknown>
  const headers = (
    typeof record.headers === 'object' && record.headers !== null ? record.headers : record
  ) as Record<string, unknown>
  const header = headers.authorization ?? headers.Authorization
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return null
  return header.slice('Bearer '.length)
}

const wrap = (error: Error) => new GraphQLError(error.message, { originalError: error })

/**
 * One error for a refused subscribe (mercurius sends one): the messages of all, the code of the
 * first, as the HTTP answer would give them.
 */
function socketError(app: FastifyInstance, errors: readonly GraphQLError[]): GraphQLError {
  const { response } = formatErrors({ errors }, { app })
  const code = response.errors[0]?.extensions.code ?? 'BAD_USER_INPUT'
  return new GraphQLError(response.errors.map((error) => error.message).join('; '), {
    extensions: { code },
  })
}
