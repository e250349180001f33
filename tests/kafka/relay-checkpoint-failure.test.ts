import pg from 'pg'
import { allEventsTopic } from '@coord/relay'
import t from 'tap'
import { checkTopic } from './support/check.ts'
import {
  allEvents,
  kafkaClient,
  loadTasks,
  openTestStore,
  progress,
  startRelay,
  taskStart,
  unique,
} from './support/store.ts'
import { ensureTopic, readTopic, topicEnds } from './support/topics.ts'

// Regression, real PostgreSQL and Kafka: a relay whose checkpoint could not be saved once (the
// database refused the write after the broker had acknowledged the batch) stopped relaying for
// good: the failed flush left its promise chain rejected, so every later batch was skipped
// without a send, and the checkpoint never moved again until the process was restarted.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

t.test('the relay goes on after saving its checkpoint failed for a while', async (t) => {
  const { brokers, kafka } = kafkaClient()
  const { store, schema } = await openTestStore(t, 'relay_checkpoint')
  const [task] = loadTasks(1, [unique('b')], [unique('p')])
  if (!task) throw new Error('one task')
  await ensureTopic(kafka, allEventsTopic)
  const allFrom = await topicEnds(kafka, allEventsTopic)
  const name = unique('relay-checkpoint')
  const relay = await startRelay(t, store, brokers, name)
  await store.appendToStream(task.streamId, taskStart(task.planId, task.taskId, task.lead, task.partner))

  // The checkpoint table goes away (a real failure of the write, not a fake), events keep coming.
  const admin = new pg.Client({ connectionString: schema.connectionString })
  await admin.connect()
  t.teardown(() => admin.end())
  const table = `"${schema.schema}".es_checkpoints`
  await admin.query(`alter table ${table} rename to es_checkpoints_away`)
  for (let i = 1; i <= 5; i++) await store.appendToStream(task.streamId, [progress(task.lead, i * 10)])
  await sleep(1500)
  await admin.query(`alter table "${schema.schema}".es_checkpoints_away rename to es_checkpoints`)
  for (let i = 6; i <= 10; i++) await store.appendToStream(task.streamId, [progress(task.lead, i * 10)])

  const head = await store.headPosition()
  const deadline = Date.now() + 60_000
  while ((await relay.status()).checkpoint < head && Date.now() < deadline) await sleep(100)
  t.equal((await relay.status()).checkpoint, head, `the checkpoint reaches the head (${head}) again`)
  t.equal(await store.checkpoint(name), head, 'and is saved there')

  const events = await allEvents(store)
  const onAll = await readTopic(kafka, allEventsTopic, { from: allFrom })
  checkTopic(t, allEventsTopic, onAll, events, new Set([task.streamId]))
})
