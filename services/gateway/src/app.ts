import { businessDay } from '@coord/planning'
import type { ReadDb, ReadModels } from '@coord/projector'
import {
  actorFromClaims,
  authenticate,
  authPlugin,
  createApp,
  healthPlugin,
  type Config,
} from '@coord/service-kit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import websocket from '@fastify/websocket'
import mercurius from 'mercurius'
import type { GatewayContext } from './access/enforce.ts'
import type { GatewayConfig } from './config.ts'
import { formatErrors } from './error-formatter.ts'
import { gatewayErrors } from './errors.ts'
import { idePlugin } from './ide/ide.ts'
import { defaultLimits, limitRules, type GatewayLimits } from './limits.ts'
import { createLoaders } from './loaders/loaders.ts'
import { gatewaySchema } from './schema/build.ts'
import { TaskEventFeed } from './subscriptions/feed.ts'
import { noSubscriptionOverHttpRule } from './subscriptions/over-http.ts'
import { TopicPubSub } from './subscriptions/pubsub.ts'
import { closeAtTokenExpiry } from './subscriptions/expiry.ts'
import { checkMessages } from './subscriptions/messages.ts'
import { bearerOf, guardSockets } from './subscriptions/socket-guard.ts'
import { SocketSessions } from './subscriptions/session.ts'
import type { ProjectionSource } from './subscriptions/source.ts'
import type { HistorySource } from './annual-review.ts'
import type { AuditSource } from './audit.ts'
import { checkVariables } from './variables.ts'
import { awaitPosition } from './wait-for.ts'

/** The largest request body the GraphQL endpoint reads (a document and its variables). */
export const gatewayBodyLimit = 128 * 1024

/**
 * The query string of GET and POST /graphql, closed to unknown fields. The POST body is checked by
 * `checkBody` instead: the platform refuses body schemas it cannot close, and GraphQL variables
 * are free-form.
 */
const requestSchema = {
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      query: { type: 'string' },
      operationName: { type: 'string' },
      variables: { type: 'string' },
      extensions: { type: 'string' },
    },
  },
}

const bodyFields: Record<string, (value: unknown) => boolean> = {
  query: (value) => typeof value === 'string',
  operationName: (value) => value === null || typeof value === 'string',
  variables: (value) => value === null || (typeof value === 'object' && !Array.isArray(value)),
  extensions: (value) => value === null || (typeof value === 'object' && !Array.isArray(value)),
}

/**
 * A POST carries one request object with known fields of the right types; an array (a batch), a
 * missing body, `null` or anything else is a 400. A GET carries its query in the query string.
 */
function checkBody(request: FastifyRequest): void {
  if (request.method !== 'POST') return
  const body = request.body
  if (Array.isArray(body)) throw gatewayErrors.make('BATCHED_QUERIES_NOT_ALLOWED')
  if (typeof body !== 'object' || body === null)
    throw gatewayErrors.make('BAD_USER_INPUT', 'the body must be a JSON object')
  for (const [field, value] of Object.entries(body)) {
    const valid = bodyFields[field]
    if (!valid) throw gatewayErrors.make('BAD_USER_INPUT', `unknown field '${field}'`)
    if (!valid(value)) throw gatewayErrors.make('BAD_USER_INPUT', `'${field}' has the wrong type`)
  }
}

export interface GatewayOptions {
  models: ReadModels
  /** The read-model database `models` reads; the loaders batch their lookups on it. */
  db: ReadDb
  /** How far the read models are: the projector in the process, or a `ReadModelFollower`. */
  source: ProjectionSource
  /** Compile queries with graphql-jit once they have run once (mercurius `jit: 1`); default true. */
  jit?: boolean
  /** Serve GraphiQL at /graphiql; default: not in production. */
  ide?: boolean
  limits?: Partial<GatewayLimits>
  /** How long a query waits for X-Coord-Wait-For-Position; default 5000 ms. */
  waitTimeoutMs?: number
  /** The clock deciding "today"; default the system clock. */
  now?: () => Date
  /** The notary's tree heads and proofs (the platform passes its `Notary`); without it those fields answer AUDIT_UNAVAILABLE. */
  audit?: AuditSource
  /** The event log the annual review is computed from (the platform passes its store); without it `annualReview` answers REVIEW_UNAVAILABLE. */
  history?: HistorySource
  /** Where subscriptions are published; default a new one (pass one to see how many are open). */
  pubsub?: TopicPubSub
}

/** The gateway's settings a deployment configured (GatewayConfig) or the defaults for `config`. */
export function gatewaySettings(
  config: Config | GatewayConfig,
): Pick<GatewayOptions, 'jit' | 'ide' | 'limits' | 'waitTimeoutMs'> {
  if ('limits' in config) {
    return { jit: config.jit, ide: config.ide, limits: config.limits, waitTimeoutMs: config.waitTimeoutMs }
  }
  const production = config.nodeEnv === 'production'
  return { jit: true, ide: !production, limits: { introspection: !production }, waitTimeoutMs: 5000 }
}

/**
 * The GraphQL gateway (mercurius) at /graphql, WebSocket subscriptions on the same path
 * (graphql-transport-ws) and, outside production, GraphiQL at /graphiql. Not wrapped in
 * fastify-plugin: its error formatter and hooks stay inside it. Needs `authPlugin` registered
 * above it (the platform's, or `build`'s).
 */
export async function gatewayPlugin(app: FastifyInstance, options: GatewayOptions): Promise<void> {
  const { models, db, source } = options
  const limits: GatewayLimits = { ...defaultLimits, ...options.limits }
  const waitTimeoutMs = options.waitTimeoutMs ?? 5000
  const now = options.now ?? (() => new Date())
  const today = () => businessDay(now().toISOString()) ?? now().toISOString().slice(0, 10)
  const rules = limitRules(limits)
  const pubsub = options.pubsub ?? new TopicPubSub()
  const schema = gatewaySchema(models, options.audit, options.history)
  const context = (actor: GatewayContext['actor']): GatewayContext & { today: string } => ({
    actor,
    loaders: createLoaders(db, today),
    today: today(),
  })

  // Before anything is parsed: one query per request, a valid token, and the position it waits for.
  app.addHook('preHandler', async (request) => {
    if (!isGraphqlHttp(request)) return
    await authenticateOrThrow(request)
    checkBody(request)
    await awaitPosition(request, source, waitTimeoutMs)
  })

  const sessions = new SocketSessions()
  // A WebSocket message is held to the HTTP body limit: mercurius would register the WebSocket
  // server itself with a limit of 1 MiB; registered first, it uses this one. A larger message
  // closes the socket (1009).
  await app.register(websocket, { options: { maxPayload: gatewayBodyLimit } })
  closeAtTokenExpiry(
    app.websocketServer,
    sessions,
    (payload) => connectionAuth(app, payload)?.expiresAt ?? null,
  )
  // Each message is held to graphql-transport-ws before mercurius reads it (4400 otherwise).
  checkMessages(app.websocketServer, sessions)
  await app.register(mercurius, {
    schema,
    path: '/graphql',
    jit: options.jit === false ? 0 : 1,
    allowBatchedQueries: false,
    graphiql: false,
    validationRules: [...rules, noSubscriptionOverHttpRule],
    graphql: { parseOptions: { maxTokens: limits.maxTokens } },
    additionalRouteOptions: { bodyLimit: gatewayBodyLimit, schema: requestSchema },
    errorFormatter: formatErrors,
    context: (request: FastifyRequest) => context(request.actor),
    subscription: {
      pubsub,
      // A browser cannot set headers on a WebSocket: the token comes in connection_init's payload.
      onConnect: (data: { payload?: unknown }) => {
        const auth = connectionAuth(app, data.payload)
        return auth ? { actor: auth.actor } : false
      },
      context: (socket) => ({ ...context(null), session: sessions.of(socket) }),
    },
  })
  app.graphql.addHook('preExecution', checkVariables)
  // mercurius validates HTTP documents; subscriptions pass the same limits before they start.
  guardSockets(app, { rules, maxTokens: limits.maxTokens })

  const feed = new TaskEventFeed({
    source,
    db,
    pubsub,
    logger: app.log.child({ component: 'gateway-feed' }),
  })
  app.addHook('onReady', () => {
    feed.start()
    return Promise.resolve()
  })
  app.addHook('onClose', () => feed.stop())
  if (options.ide ?? true) await app.register(idePlugin)
}

function isGraphqlHttp(request: FastifyRequest): boolean {
  return request.routeOptions.url?.endsWith('/graphql') === true && !(request as { ws?: boolean }).ws
}

async function authenticateOrThrow(request: FastifyRequest): Promise<void> {
  try {
    await authenticate(request)
  } catch (error) {
    // The kit's message repeats the catalogue's; keep only why the token was refused.
    const why = (error as Error).message.replace(/^a valid bearer token is required: /, '')
    throw gatewayErrors.make('UNAUTHENTICATED', why)
  }
}

/**
 * The actor of a WebSocket's connection_init payload and when its token expires (epoch
 * milliseconds; the platform's tokens always expire), or null for no valid token.
 */
function connectionAuth(app: FastifyInstance, payload: unknown) {
  const token = bearerOf(payload)
  if (token === null) return null
  try {
    const claims = app.jwt.verify<{ exp?: unknown }>(token)
    const actor = actorFromClaims(claims)
    return actor && typeof claims.exp === 'number' ? { actor, expiresAt: claims.exp * 1000 } : null
  } catch {
    return null
  }
}

export interface GatewayDeps extends Pick<
  GatewayOptions,
  'models' | 'db' | 'source' | 'now' | 'audit' | 'history' | 'pubsub'
> {
  /** Overrides the configured graphql-jit switch (a benchmark serves with it on and off). */
  jit?: boolean
}

/** The gateway alone: /graphql, /graphiql outside production, and /health. Never listens. */
export async function build(config: Config | GatewayConfig, deps: GatewayDeps): Promise<FastifyInstance> {
  const app = createApp({ config })
  await app.register(healthPlugin)
  await app.register(authPlugin, { config })
  app.addHealthCheck('read-models', async () => {
    const version = await deps.models.currentVersion()
    if (version === null) throw new Error('no read-model version is live yet')
    return { version }
  })
  const settings = gatewaySettings(config)
  await app.register(gatewayPlugin, {
    ...settings,
    ...deps,
    ...(deps.jit === undefined ? {} : { jit: deps.jit }),
  })
  return app
}
