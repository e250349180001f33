import { allEventsTopic, bureauTopic } from '@coord/relay'
import t from 'tap'
import { checkTopic, eventsFor } from './support/check.ts'
import {
  allEvents,
  appendLoad,
  caughtUp,
  kafkaClient,
  loadTasks,
  openTestStore,
  startRelay,
  unique,
} from './support/store.ts'
import { ensureTopic, readTopic, topicEnds } from './support/topics.ts'

// Integration, real PostgreSQL and Kafka: five task streams written side by side while the relay
// runs keep their revision order on the all-events topic and on every bureau topic.

t.test('5 streams of 100 events appended concurrently arrive each in revision order', async (t) => {
  const { brokers, kafka } = kafkaClient()
  const { store } = await openTestStore(t, 'relay_order')
  const leads = [unique('b'), unique('b')]
  const partners = [unique('p')]
  const tasks = loadTasks(5, leads, partners)
  await ensureTopic(kafka, allEventsTopic)
  const allFrom = await topicEnds(kafka, allEventsTopic)

  const name = unique('relay-order')
  await startRelay(t, store, brokers, name)
  const appended = await appendLoad(store, tasks, 100)
  t.equal(appended, 500)
  await caughtUp(store, name)
  const events = await allEvents(store)
  t.equal(events.length, 500, 'the store holds the 500 events')

  const ours = new Set(events.map((e) => e.streamId))
  checkTopic(t, allEventsTopic, await readTopic(kafka, allEventsTopic, { from: allFrom }), events, ours)
  for (const bureau of [...leads, ...partners]) {
    const topic = bureauTopic(bureau)
    checkTopic(t, topic, await readTopic(kafka, topic), eventsFor(events, bureau, tasks))
  }
})
