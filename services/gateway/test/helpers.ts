import type { Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { openEmbeddedStore, uuidv7, type EventStore } from '@coord/eventstore'
import { openEmbeddedReadDb, Projector, ReadModels, type ReadDb } from '@coord/projector'
import { loadConfig, signToken, type Config } from '@coord/service-kit'
import { generateKeyPairSync } from 'node:crypto'
import { Notary, openEmbeddedNotaryDb } from '@coord/notary'
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
  /** The notary serving the audit fields, when the harness was asked for one. */
  notary: Notary | null
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
  options: {
    wrapDb?: (db: ReadDb) => ReadDb
    deps?: Partial<GatewayDeps>
    config?: Config
    /** Serve the audit fields from a real notary over the harness's store (its own key). */
    notary?: boolean
  } = {},
): Promise<GatewayHarness> {
  const store = await openEmbeddedStore()
  const raw = await openEmbeddedReadDb()
  const db = options.wrapDb ? options.wrapDb(raw) : raw
  const projector = new Projector({ store, db: raw })
  const models = new ReadModels(db, { now: () => today })
  await projector.start()
  const notaryDb = options.notary ? await openEmbeddedNotaryDb() : null
  const notary = notaryDb
    ? new Notary({
        store,
        db: notaryDb,
        signingKey: generateKeyPairSync('ed25519').privateKey,
        headIntervalMs: 0,
      })
    : null
  await notary?.start()
  const app = await build(options.config ?? config, {
    models,
    db,
    source: projector,
    now: () => today,
    ...(notary ? { audit: notary } : {}),
    history: store,
    ...options.deps,
  })
  await app.ready()
  t.teardown(async () => {
    await app.close()
    await notary?.stop()
    await notaryDb?.close()
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
    notary,
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
