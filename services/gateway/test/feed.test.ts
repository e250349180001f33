import t from 'tap'
import type { ReadDb } from '@coord/projector'
import { own, planId, recordHistory, taskId } from './fixtures/history.ts'
import { gatewayHarness, tokenOf } from './helpers.ts'
import { TransportWsClient, type Message } from './support/ws-client.ts'
import { TopicPubSub } from '../src/subscriptions/pubsub.ts'

// The subscription feed looks a batch's timeline rows up only while someone subscribes.

let lookups = 0
const pubsub = new TopicPubSub()
const h = await gatewayHarness(t, {
  deps: { pubsub },
  wrapDb: (db: ReadDb): ReadDb => ({
    ...db,
    query: (sql, params) => {
      if (/activity where position = any/.test(sql)) lookups += 1
      return db.query(sql, params)
    },
  }),
})
await recordHistory(h.append)
await h.caughtUp()
const base = await h.app.listen({ port: 0, host: '127.0.0.1' })
const url = `${base.replace('http', 'ws')}/graphql`
const stream = `task-${planId}/${taskId}`

async function reported(percent: number): Promise<number> {
  const position = await h.append(stream, [
    'ProgressReported',
    { bureauId: own, percent, narrative: '进度', evidence: [] },
    { occurredAt: '2018-05-30T02:00:00.000Z', bureauId: own },
  ])
  await h.caughtUp()
  // The feed hears the batch in the projector's commit; give its chain a turn to run.
  await new Promise((resolve) => setTimeout(resolve, 50))
  return position
}

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 10_000) throw new Error('gave up waiting')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

t.test(
  'batches projected while nobody subscribes are not looked up; while someone does, they are',
  async (t) => {
    t.equal(pubsub.subscriptions, 0, 'no subscription open')
    await reported(10)
    t.equal(lookups, 0, 'nothing looked up for the history and a new event')

    const client = await TransportWsClient.open(url, { authorization: `Bearer ${tokenOf('bureau')}` })
    t.teardown(() => client.close())
    await client.next((m) => m.type === 'connection_ack')
    client.subscribe('mine', `subscription { taskEvents(bureauId: "${own}") { position percent: data } }`)
    await until(() => pubsub.subscriptions === 1)
    const position = await reported(20)
    const heard = await client.next((m: Message) => m.type === 'next' && m.id === 'mine')
    t.match(
      heard.payload,
      { data: { taskEvents: { position, percent: { percent: 20 } } } },
      'the event arrives',
    )
    t.equal(lookups, 1, 'its batch looked up once')

    client.close()
    await until(() => pubsub.subscriptions === 0)
    await reported(30)
    t.equal(lookups, 1, 'nothing looked up once the subscriber has gone')
  },
)
