// pnpm bench:gateway [--quick]: the GraphQL gateway on PostgreSQL. Command-to-view lag at 100 and
// 500 commands/s beside a pg_notify round trip (the limit); a bureau's accountability query,
// requests/s, beside a raw Fastify route running the same SQL (the limit) and the same schema on
// mercurius with graphql-jit off (the peer); an asOf query over the whole history beside the same
// query live. Needs PostgreSQL (DATABASE_URL or the local server).
import { openPostgresStore, type EventStore } from '@coord/eventstore'
import { createTestSchema } from '@coord/eventstore/testing'
import { build as buildGateway, gatewayPlugin } from '@coord/gateway'
import { planningPlugin } from '@coord/planning'
import { openPostgresReadDb, Projector, ReadModels, type ReadDb } from '@coord/projector'
import { authPlugin, createApp, loadConfig, signToken } from '@coord/service-kit'
import Fastify, { type FastifyInstance } from 'fastify'
import pg from 'pg'
import { request } from 'undici'
import { publish, quick } from '../report.ts'
import { httpClient, post } from './client.ts'
import { lag } from './lag.ts'
import { closedLoop, milliseconds, percentile } from './measure.ts'
import { notifyRoundTrips } from './notify.ts'
import { bureaus, planId, seedHistory } from './seed.ts'

const tasks = quick ? 200 : 1000
const perTask = quick ? 50 : 100
const lagSeconds = quick ? 3 : 10
const loadSeconds = quick ? 4 : 10
const asOfQueries = quick ? 60 : 300
const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }, { envFile: false })
const supervisor = `Bearer ${signToken(config, { role: 'supervisor', user: 'bench' })}`
const bureauTokens = new Map(
  bureaus.map((bureauId) => [
    bureauId,
    `Bearer ${signToken(config, { role: 'bureau', bureauId, user: `${bureauId}-clerk` })}`,
  ]),
)

function log(message: string): void {
  process.stderr.write(`${message}\n`)
}

const accountabilityQuery = `query ($bureauId: ID!, $asOf: String) {
  bureauAccountability(bureauId: $bureauId, asOf: $asOf) {
    position
    counts { total overdue lead partner }
    tasks { role acknowledgedAt task { planId taskId title status deadline daysOverdue percent lastProgress { percent at } } }
  }
}`

const client = httpClient()

async function graphql(url: string, query: string, variables: object, headers: Record<string, string> = {}) {
  const response = await post(
    client,
    `${url}/graphql`,
    { authorization: supervisor, ...headers },
    { query, variables },
  )
  if (response.status !== 200 || response.body.errors)
    throw new Error(`GraphQL ${response.status}: ${JSON.stringify(response.body)}`)
  return response.body.data
}

/** Planning's commands, the projector and the gateway in one process: what the platform runs. */
async function platform(store: EventStore, db: ReadDb, projector: Projector, models: ReadModels) {
  const app = createApp({ config })
  await app.register(authPlugin, { config })
  await app.register(planningPlugin, { store, prefix: '/planning' })
  await app.register(gatewayPlugin, { models, db, source: projector, jit: true, ide: false })
  return app
}

/** The limit of the query: a bare Fastify route answering the same read-model query as JSON. */
function rawRoute(models: ReadModels): FastifyInstance {
  const app = Fastify()
  app.get<{ Params: { bureauId: string } }>('/accountability/:bureauId', (request) =>
    models.bureauAccountability(request.params.bureauId),
  )
  return app
}

async function main(): Promise<void> {
  const storeSchema = await createTestSchema('bench_gateway')
  const readSchema = `${storeSchema.schema}_read`
  const store = await openPostgresStore({
    connectionString: storeSchema.connectionString,
    schema: storeSchema.schema,
  })
  const db = await openPostgresReadDb({ connectionString: storeSchema.connectionString, schema: readSchema })
  const projector = new Projector({ store, db })
  const models = new ReadModels(db)
  const apps: FastifyInstance[] = []
  try {
    let started = process.hrtime.bigint()
    await seedHistory(store, tasks, perTask)
    const head = await store.headPosition()
    log(`seeded ${head} events in ${(milliseconds(started) / 1000).toFixed(1)} s`)
    started = process.hrtime.bigint()
    await projector.start()
    await projector.waitFor(head, 600_000)
    log(`projected them in ${(milliseconds(started) / 1000).toFixed(1)} s`)

    const ours = await platform(store, db, projector, models)
    const peer = await buildGateway(config, { models, db, source: projector, jit: false })
    const raw = rawRoute(models)
    apps.push(ours, peer, raw)
    const [oursUrl, peerUrl, rawUrl] = await Promise.all(
      apps.map((app) => app.listen({ port: 0, host: '127.0.0.1' })),
    )

    // asOf over the whole history, at instants spread over it, beside the same query live.
    const first = Date.parse((await firstEvent(store)).metadata.recordedAt)
    const last = Date.now()
    const asOfSamples: number[] = []
    const liveSamples: number[] = []
    for (let i = 0; i < asOfQueries; i++) {
      const bureauId = bureaus[i % bureaus.length] as string
      const asOf = new Date(first + ((i + 0.5) / asOfQueries) * (last - first)).toISOString()
      let t0 = process.hrtime.bigint()
      await graphql(oursUrl as string, accountabilityQuery, { bureauId, asOf })
      asOfSamples.push(milliseconds(t0))
      t0 = process.hrtime.bigint()
      await graphql(oursUrl as string, accountabilityQuery, { bureauId })
      liveSamples.push(milliseconds(t0))
    }
    log(
      `asOf over ${head} events: p50 ${percentile(asOfSamples, 50).toFixed(1)} ms, p95 ${percentile(asOfSamples, 95).toFixed(1)} ms (live p95 ${percentile(liveSamples, 95).toFixed(1)} ms)`,
    )

    // The accountability query, closed loop at 8 clients, each server in turn.
    const bureauId = 'bench-b3'
    const viaGraphql = (url: string) => () =>
      graphql(url, accountabilityQuery, { bureauId }).then(() => undefined)
    const viaRaw = async () => {
      const response = await request(`${rawUrl}/accountability/${bureauId}`, { dispatcher: client })
      if (response.statusCode !== 200) throw new Error(`raw route ${response.statusCode}`)
      await response.body.arrayBuffer()
    }
    await closedLoop(8, 1, viaGraphql(oursUrl as string))
    await closedLoop(8, 1, viaGraphql(peerUrl as string))
    await closedLoop(8, 1, viaRaw)
    const queryOurs = await closedLoop(8, loadSeconds, viaGraphql(oursUrl as string))
    const queryPeer = await closedLoop(8, loadSeconds, viaGraphql(peerUrl as string))
    const queryLimit = await closedLoop(8, loadSeconds, viaRaw)
    log(
      `accountability query: jit ${queryOurs.toFixed(0)}/s, jit off ${queryPeer.toFixed(0)}/s, raw route ${queryLimit.toFixed(0)}/s`,
    )

    // Command-to-view lag, beside a notification's round trip at the same rate.
    const rows: string[] = []
    const lagFigures: Record<string, { ours: number[]; limit: number[] }> = {}
    for (const rate of [100, 500]) {
      const { samples, refused } = await lag({
        url: oursUrl as string,
        perSecond: rate,
        count: rate * lagSeconds,
        planId,
        tasks,
        leadTokens: bureaus.map((bureauId) => bureauTokens.get(bureauId) as string),
        supervisor,
      })
      const limit = await notifyRoundTrips(
        storeSchema.connectionString,
        rate,
        Math.min(rate * lagSeconds, 1000),
      )
      lagFigures[rate] = { ours: samples, limit }
      const p = (list: number[], q: number) => percentile(list, q).toFixed(1)
      rows.push(
        `| ${rate}/s | ${samples.length} (${refused} refused) | ${p(samples, 50)} | ${p(samples, 95)} | ${p(samples, 99)} | ${p(limit, 50)} | ${p(limit, 99)} |`,
      )
    }
    process.stdout.write(
      [
        '',
        '| rate | commands | lag p50 ms | p95 | p99 | pg_notify p50 | pg_notify p99 |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
        ...rows,
        '',
      ].join('\n'),
    )
    const at = (rate: number, q: number, which: 'ours' | 'limit') =>
      percentile(lagFigures[rate]?.[which] ?? [], q)
    const ms = { unit: 'ms', better: 'lower' as const, peer: null }
    publish('gateway', [
      { name: 'lag-p50-500', ...ms, ours: at(500, 50, 'ours'), limit: at(500, 50, 'limit') },
      { name: 'lag-p99-100', ...ms, ours: at(100, 99, 'ours'), limit: at(100, 99, 'limit') },
      { name: 'lag-p99-500', ...ms, ours: at(500, 99, 'ours'), limit: at(500, 99, 'limit') },
      {
        name: 'accountability-query',
        unit: 'requests/s',
        better: 'higher',
        ours: queryOurs,
        limit: queryLimit,
        peer: queryPeer,
      },
      { name: 'asof-p95', ...ms, ours: percentile(asOfSamples, 95), limit: percentile(liveSamples, 95) },
    ])
  } finally {
    await client.close()
    for (const app of apps) await app.close()
    await projector.stop()
    await db.close()
    await store.close()
    await storeSchema.drop()
    await dropSchema(storeSchema.connectionString, readSchema)
  }
}

async function firstEvent(store: EventStore) {
  for await (const event of store.readAll({ maxCount: 1 })) return event
  throw new Error('the history is empty')
}

async function dropSchema(connectionString: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString })
  await client.connect()
  try {
    await client.query(`drop schema if exists ${schema} cascade`)
  } finally {
    await client.end()
  }
}

await main()
