import { fromMessage } from '@coord/contracts'
import type { RecordedEvent } from '@coord/eventstore'
import { build } from '@coord/planning'
import { allEventsTopic, bureauOfTopic, bureauTopic } from '@coord/relay'
import { loadConfig, signToken, type Role } from '@coord/service-kit'
import t, { type Test } from 'tap'
import { allEvents, caughtUp, kafkaClient, openTestStore, startRelay, unique } from './support/store.ts'
import { ensureTopic, readTopic, topicEnds, topicExists, type Received } from './support/topics.ts'

// Integration, real PostgreSQL and Kafka: commands sent over HTTP to the planning service end up,
// through the relay, on the all-events topic and on the topic of every bureau the task concerns,
// as CloudEvents binary-mode records whose payload decodes back to the stored event.

const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }, { envFile: false })
const taskId = '三.(二).7'

function token(role: Role, user: string, bureauId?: string): string {
  return `Bearer ${signToken(config, { role, user, ...(bureauId ? { bureauId } : {}) })}`
}

/** The planning service on a real socket over the test's store; POSTs a command, expects 200. */
async function planningClient(t: Test, store: Parameters<typeof build>[1]['store']) {
  const app = await build(config, { store })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  return async (authorization: string, path: string, body: object): Promise<void> => {
    const res = await fetch(`${base}/planning${path}`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    if (res.status !== 200) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`)
  }
}

/** The headers every record of `event` must carry, exactly. */
function expectedHeaders(event: RecordedEvent): Record<string, string> {
  return {
    ce_specversion: '1.0',
    ce_id: event.id,
    ce_type: event.type,
    ce_source: '/coord/task',
    ce_subject: event.streamId,
    ce_time: event.metadata.recordedAt,
    'content-type': 'application/protobuf',
    ce_dataschema: `coord.v1.${event.type}`,
    coord_position: String(event.position),
    coord_revision: String(event.revision),
  }
}

/** Each record is the stored event: key, headers, and a payload that decodes to the same event. */
function checkRecords(t: Test, records: Received[], events: RecordedEvent[], where: string): void {
  t.same(
    records.map((r) => r.headers.ce_type),
    events.map((e) => e.type),
    `${where} carries ${events.map((e) => e.type).join(', ')} in order`,
  )
  for (const [i, event] of events.entries()) {
    const record = records[i]
    if (!record) continue
    t.equal(record.key, event.streamId, `${where}: ${event.type} is keyed by its stream`)
    t.same(record.headers, expectedHeaders(event), `${where}: ${event.type} has the CloudEvents headers`)
    const decoded = fromMessage(record.headers.ce_type ?? '', record.value)
    t.match(
      decoded,
      {
        id: event.id,
        streamId: event.streamId,
        revision: event.revision,
        position: event.position,
        type: event.type,
        metadata: {
          actor: event.metadata.actor,
          correlationId: event.metadata.correlationId,
          causationId: event.metadata.causationId,
        },
      },
      `${where}: ${event.type} decodes to the stored envelope`,
    )
    t.same(decoded.data, event.data, `${where}: ${event.type} decodes to the stored data`)
    t.equal(Date.parse(decoded.metadata.recordedAt), Date.parse(event.metadata.recordedAt))
    t.equal(Date.parse(decoded.metadata.occurredAt), Date.parse(event.metadata.occurredAt))
  }
}

t.test(
  'a task published, assigned, signed for and reported on over HTTP reaches the all-events topic and exactly the topics of its bureaus',
  async (t) => {
    const { brokers, kafka } = kafkaClient()
    const { store } = await openTestStore(t, 'relay_http')
    const post = await planningClient(t, store)
    const planId = unique('plan')
    const lead = unique('b')
    const partner = unique('p')
    const chinese = `区商务委${unique('')}`
    const stranger = unique('s')
    // The all-events topic is shared by every run: read only what is written after this point.
    await ensureTopic(kafka, allEventsTopic)
    const allFrom = await topicEnds(kafka, allEventsTopic)

    const planner = token('planner', 'plan-office-zhang')
    const task = `/plans/${planId}/tasks/${encodeURIComponent(taskId)}`
    await post(planner, `/plans/${planId}/tasks`, { taskId, title: '加强展会知识产权保护' })
    await post(planner, `${task}/assign`, { leads: [lead], partners: [partner, chinese] })
    await post(token('bureau', 'lead-clerk', lead), `${task}/acknowledge`, {})
    await post(token('bureau', 'partner-clerk', partner), `${task}/progress`, {
      percent: 60,
      narrative: '展会备案制度草案已完成',
    })

    const name = unique('relay-http')
    await startRelay(t, store, brokers, name)
    await caughtUp(store, name)
    const events = await allEvents(store)
    t.same(
      events.map((e) => e.type),
      ['TaskPublished', 'TaskAssigned', 'TaskAcknowledged', 'ProgressReported'],
    )

    const onAll = (await readTopic(kafka, allEventsTopic, { from: allFrom })).filter((r) =>
      events.some((e) => e.streamId === r.headers.ce_subject),
    )
    checkRecords(t, onAll, events, allEventsTopic)

    // A bureau receives the task's publication just before its first event of the task, then the rest.
    const concerning = events
    for (const bureau of [lead, partner, chinese]) {
      const topic = bureauTopic(bureau)
      checkRecords(t, await readTopic(kafka, topic), concerning, topic)
    }

    const hexTopic = `coord.bureau.x.${Buffer.from(chinese, 'utf8').toString('hex')}`
    t.equal(bureauTopic(chinese), hexTopic, 'a Chinese bureau id is carried as the hex of its UTF-8 bytes')
    t.equal(bureauOfTopic(hexTopic), chinese, 'and reads back from the topic name')
    t.ok(await topicExists(kafka, hexTopic), 'the hex topic exists on the broker')
    t.notOk(
      await topicExists(kafka, bureauTopic(stranger)),
      'a bureau the task does not concern gets nothing',
    )
  },
)
