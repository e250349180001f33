// pnpm bench:relay [--quick]: the relay from the event store (PostgreSQL) to Kafka, checkpoint 0 to
// caught up, beside a raw kafkajs producer sending the same records in the same batches with the
// same acks (the limit), in one run. Needs PostgreSQL (DATABASE_URL or the local server) and Kafka
// (KAFKA_BROKERS, or the local broker of deploy/kafka, started if need be).
import { randomBytes } from 'node:crypto'
import {
  openPostgresStore,
  uuidv7,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@coord/eventstore'
import { createTestSchema } from '@coord/eventstore/testing'
import { Relay, allEventsTopic, bureauTopic, createKafka } from '@coord/relay'
import type { Kafka } from 'kafkajs'
import { ensureKafka } from '../../support/kafka.ts'
import { publish, quick } from '../report.ts'
import { rawProducer, relayBatches } from './raw.ts'

const total = quick ? 20_000 : 200_000
const rounds = quick ? 2 : 3
const began = Date.now()
/** The relay's default: messages per batch sent (events × the topics each goes to). */
const batchSize = 500
const perTask = 100
const run = randomBytes(4).toString('hex')
const bureaus = Array.from({ length: 20 }, (_, i) => `bench-${run}-${i}`)

function log(message: string): void {
  process.stderr.write(`${message}\n`)
}

const meta = () => ({
  actor: { role: 'planner', user: 'bench' },
  correlationId: uuidv7(),
  causationId: null,
  occurredAt: new Date().toISOString(),
})

/** One task's events: published, assigned to a lead and a partner, then progress reports. */
function taskEvents(planId: string, i: number): NewEvent[] {
  const taskId = `三.(二).${i}`
  const lead = bureaus[i % bureaus.length] ?? 'lead'
  const partner = bureaus[(i + 7) % bureaus.length] ?? 'partner'
  const events: NewEvent[] = [
    {
      id: uuidv7(),
      type: 'TaskPublished',
      data: {
        planId,
        taskId,
        title: '加强展会知识产权保护',
        sectionPath: ['三', '(二)'],
        basis: { kind: 'plan-clause', planId, clause: taskId },
      },
      metadata: meta(),
    },
    { id: uuidv7(), type: 'TaskAssigned', data: { leads: [lead], partners: [partner] }, metadata: meta() },
  ]
  while (events.length < perTask) {
    const percent = events.length % 101
    events.push({
      id: uuidv7(),
      type: 'ProgressReported',
      data: {
        bureauId: lead,
        percent,
        narrative: `展会知识产权保护第${percent}次进展：备案、巡查、纠纷调解`,
        evidence: [],
      },
      metadata: { ...meta(), actor: { role: 'bureau', bureauId: lead, user: `${lead}-clerk` } },
    })
  }
  return events
}

/** `total` events in tasks of `perTask` events, four appends at a time. */
async function seed(store: EventStore): Promise<void> {
  const planId = `bench-${run}`
  const tasks = Math.ceil(total / perTask)
  let next = 0
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < tasks) {
        const i = next++
        await store.appendToStream(`task-${planId}/三.(二).${i}`, taskEvents(planId, i))
      }
    }),
  )
}

/** The topics exist before either run: neither measures topic creation. */
async function createTopics(kafka: Kafka): Promise<void> {
  const admin = kafka.admin()
  await admin.connect()
  try {
    const topics = [allEventsTopic, ...bureaus.map(bureauTopic)]
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((topic) => ({ topic, numPartitions: 3 })),
    })
  } finally {
    await admin.disconnect()
  }
}

/**
 * The relay from checkpoint 0 until the broker acknowledged event `head`. Returns events/s, timed
 * from the end of `start()` (connected, reading from the store), as the raw producer is timed from
 * the end of its `connect()`.
 */
async function relayRun(store: EventStore, kafka: Kafka, head: number): Promise<number> {
  const name = `bench-relay-${randomBytes(4).toString('hex')}`
  const relay = new Relay({ store, kafka, name, batchSize })
  await relay.start()
  const started = process.hrtime.bigint()
  // Polled every 25 ms (each poll is a query): under 1% of the quick run's time.
  while ((await relay.status()).checkpoint < head) await new Promise((resolve) => setTimeout(resolve, 25))
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  await relay.stop()
  return head / seconds
}

async function main(): Promise<void> {
  const kafka = createKafka(ensureKafka(), `bench-relay-${run}`)
  const schema = await createTestSchema('bench_relay')
  const store = await openPostgresStore({ connectionString: schema.connectionString, schema: schema.schema })
  try {
    const started = Date.now()
    await seed(store)
    const head = await store.headPosition()
    log(`seeded ${head} events in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    await createTopics(kafka)

    const events: RecordedEvent[] = []
    for await (const event of store.readAll()) events.push(event)
    const batches = relayBatches(events, batchSize)
    // Warm-up: connections, metadata and the JIT of both paths, on a tenth of the events.
    await relayRun(store, kafka, Math.ceil(head / 10))
    await rawProducer(kafka, batches.slice(0, Math.ceil(batches.length / 10)), 1)

    // Rounds alternate the two and keep each one's best: the machine is shared (broker, database,
    // other work), and the best run is the one least disturbed. --quick stops early to stay
    // under a minute.
    let ours = 0
    let limit = 0
    for (let round = 1; round <= rounds; round++) {
      if (quick && round > 1 && Date.now() - began > 30_000) break
      const relayRate = await relayRun(store, kafka, head)
      const rawRate = await rawProducer(kafka, batches, events.length)
      log(
        `round ${round}: relay ${relayRate.toFixed(0)} events/s, raw kafkajs producer ${rawRate.toFixed(0)} events/s`,
      )
      ours = Math.max(ours, relayRate)
      limit = Math.max(limit, rawRate)
    }
    log(`${batches.length} batches of ~${batchSize} messages (${events.length} events, each on 1-3 topics)`)
    publish('relay', [{ name: 'relay', unit: 'events/s', better: 'higher', ours, limit, peer: null }])
  } finally {
    await store.close()
    await schema.drop()
  }
}

await main()
