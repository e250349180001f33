import type { Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { openEmbeddedStore, uuidv7, type EventStore } from '@coord/eventstore'
import { openEmbeddedReadDb, Projector, ReadModels, type ReadDb } from '@coord/projector'
import { loadConfig, signToken, type Config } from '@coord/service-kit'
import { build, type GatewayDeps } from '../src/index.ts'
import { foreign, own, type Append } from './fixtures/history.ts'

export const config: Config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }, { envFile: false })

/** Every role, the bureau whose data the fixtures hold, and a bureau on none of it. */
export const actors = {
  planner: { role: 'planner', user: 'plan.office' },
  secretariat: { role: 'secretariat', user: 'secretariat' },
  supervisor: { role: 'supervisor', user: 'supervision' },
  auditor: { role: 'auditor', user: 'auditor' },
  system: { role: 'system', user: 'system' },
  bureau: { role: 'bureau', bureauId: own, user: 'ip.staff' },
  foreign: { role: 'bureau', bureauId: foreign, user: 'justice.staff' },
} as const
export type Who = keyof typeof actors
export const everyone = Object.keys(actors) as Who[]

export const tokenOf = (who: Who) => signToken(config, actors[who])

export interface GraphqlAnswer {
  status: number
  body: {
    data?: Record<string, unknown> | null
    errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[]
  }
}

export interface GatewayHarness {
  app: FastifyInstance
  store: EventStore
  db: ReadDb
  projector: Projector
  models: ReadModels
  append: Append
  caughtUp(): Promise<void>
  /** POSTs a document to /graphql as `who` (or with no token for null). */
  query(
    who: Who | null,
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphqlAnswer>
}

/** "Today" for every query: the fixtures' deadlines fall before and after it. */
export const today = new Date('2018-06-01T04:00:00Z')

/**
 * An embedded store and read-model database, a started projector and the gateway over them,
 * torn down with the test. `db` lets a test wrap the read-model database (e.g. to count statements).
 */
export async function gatewayHarness(
  t: Test,
  options: { wrapDb?: (db: ReadDb) => ReadDb; deps?: Partial<GatewayDeps>; config?: Config } = {},
): Promise<GatewayHarness> {
  const store = await openEmbeddedStore()
  const raw = await openEmbeddedReadDb()
  const db = options.wrapDb ? options.wrapDb(raw) : raw
  const projector = new Projector({ store, db: raw })
  const models = new ReadModels(db, { now: () => today })
  await projector.start()
  const app = await build(options.config ?? config, {
    models,
    db,
    source: projector,
    now: () => today,
    ...options.deps,
  })
  await app.ready()
  t.teardown(async () => {
    await app.close()
    await projector.stop()
    await raw.close()
    await store.close()
  })
  const append: Append = async (streamId, ...events) => {
    const result = await store.appendToStream(
      streamId,
      events.map(([type, data, meta]) => ({
        id: uuidv7(),
        type,
        data,
        metadata: {
          actor: meta?.bureauId
            ? { role: 'bureau', bureauId: meta.bureauId, user: `${meta.bureauId}.staff` }
            : { role: 'planner', user: 'plan.office' },
          correlationId: uuidv7(),
          causationId: null,
          occurredAt: meta?.occurredAt ?? '2018-01-02T02:00:00.000Z',
        },
      })),
    )
    return result.position
  }
  return {
    app,
    store,
    db,
    projector,
    models,
    append,
    async caughtUp() {
      await projector.waitFor(await store.headPosition(), 30_000)
    },
    async query(who, query, variables, headers = {}) {
      const response = await app.inject({
        method: 'POST',
        url: '/graphql',
        headers: {
          'content-type': 'application/json',
          ...(who === null ? {} : { authorization: `Bearer ${tokenOf(who)}` }),
          ...headers,
        },
        payload: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
      })
      return { status: response.statusCode, body: response.json() }
    },
  }
}
