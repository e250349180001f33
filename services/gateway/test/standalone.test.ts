import t from 'tap'
import { openPostgresStore, uuidv7 } from '@coord/eventstore'
import { createTestSchema } from '@coord/eventstore/testing'
import { openPostgresReadDb, Projector, ReadModels } from '@coord/projector'
import { build, ReadModelFollower, waitForHeader } from '../src/index.ts'
import { own, planId, recordHistory, taskId, type Append } from './fixtures/history.ts'
import { config, tokenOf } from './helpers.ts'
import { TransportWsClient, type Message } from './support/ws-client.ts'

// Integration on PostgreSQL: the gateway alone, with no projector of its own. A projector elsewhere
// (here: its own connections, started late) keeps the read models; the gateway follows them by
// polling rm_state, holds waitFor queries until they catch up and pushes subscriptions.

const storeSchema = await createTestSchema('gateway_store')
const readSchema = await createTestSchema('gateway_read')
t.teardown(async () => {
  await storeSchema.drop()
  await readSchema.drop()
})
const open = async () => {
  const store = await openPostgresStore({
    connectionString: storeSchema.connectionString,
    schema: storeSchema.schema,
  })
  const db = await openPostgresReadDb({
    connectionString: readSchema.connectionString,
    schema: readSchema.schema,
  })
  return { store, db }
}

// The projector's side, as another process would have it.
const writer = await open()
const projector = new Projector({ store: writer.store, db: writer.db })
// The gateway's side: its own pools, a follower for a source.
const reader = await open()
const models = new ReadModels(reader.db, { now: () => new Date('2018-06-01T04:00:00Z') })
const follower = new ReadModelFollower({ db: reader.db, store: reader.store, intervalMs: 20 })
await follower.start()
const app = await build(config, { models, db: reader.db, source: follower })
const base = await app.listen({ port: 0, host: '127.0.0.1' })
t.teardown(async () => {
  await app.close()
  await follower.stop()
  await projector.stop()
  for (const side of [reader, writer]) {
    await side.db.close()
    await side.store.close()
  }
})

const append: Append = async (streamId, ...events) =>
  (
    await writer.store.appendToStream(
      streamId,
      events.map(([type, data, meta]) => ({
        id: uuidv7(),
        type,
        data,
        metadata: {
          actor: meta?.bureauId
            ? { role: 'bureau', bureauId: meta.bureauId, user: 'staff' }
            : { role: 'planner', user: 'plan.office' },
          correlationId: uuidv7(),
          causationId: null,
          occurredAt: meta?.occurredAt ?? '2018-01-02T02:00:00.000Z',
        },
      })),
    )
  ).position

async function query(document: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokenOf('bureau')}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: document }),
  })
  return {
    status: res.status,
    body: (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] },
  }
}

const accountability = `{ bureauAccountability(bureauId: "${own}") { position counts { total } } }`

t.test('a query naming a position waits until a projector elsewhere has projected it', async (t) => {
  await recordHistory(append)
  const head = await writer.store.headPosition()
  const answer = query(accountability, { [waitForHeader]: String(head) })
  // The projector starts only after the query is already waiting.
  await new Promise((resolve) => setTimeout(resolve, 300))
  await projector.start()
  const { status, body } = await answer
  t.equal(status, 200, JSON.stringify(body.errors))
  t.match(body.data?.bureauAccountability, { position: head, counts: { total: 2 } })
  const late = await query(accountability, { [waitForHeader]: String(head + 10_000) })
  t.equal(late.status, 504)
  t.match(late.body, { errors: [{ extensions: { code: 'PROJECTION_TIMEOUT' } }] })
})

t.test('subscribers of a gateway running alone receive the events the projector applies', async (t) => {
  const client = await TransportWsClient.open(`${base.replace('http', 'ws')}/graphql`, {
    authorization: `Bearer ${tokenOf('bureau')}`,
  })
  t.teardown(() => client.close())
  await client.next((m) => m.type === 'connection_ack')
  client.subscribe('s', `subscription { taskEvents(bureauId: "${own}") { position type taskId data } }`)
  await new Promise((resolve) => setTimeout(resolve, 200))
  const position = await append(`task-${planId}/${taskId}`, ['TaskClosed', {}, {}])
  const next = await client.next((m: Message) => m.type === 'next')
  t.match(next.payload, { data: { taskEvents: { position, type: 'TaskClosed', taskId } } })
})
