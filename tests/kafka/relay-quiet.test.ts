import { Relay, createKafka } from '@coord/relay'
import { recordingLogger } from '@coord/service-kit/testing'
import t from 'tap'
import { appendLoad, caughtUp, kafkaClient, loadTasks, openTestStore, unique } from './support/store.ts'

// Integration, real PostgreSQL and Kafka: a relay restarted over topics an earlier run made logs
// nothing at warn level or above, its own lines or kafkajs' (which come through the same logger),
// but for kafkajs' caveat that an idempotent producer with bounded retries may write a record
// twice: the relay resends a batch kafkajs gave up on, and consumers drop repeats by ce_id
// (docs/architecture.md), which is the trade-off that warning names.
const boundedRetries = /^Limiting retries for the idempotent producer/

t.test('a relay started again over the topics it made before complains of nothing', async (t) => {
  const { brokers } = kafkaClient()
  const { store } = await openTestStore(t, 'relay_quiet')
  const name = unique('relay-quiet')
  const tasks = loadTasks(2, [unique('b')], [unique('p')])

  const run = async (events: number) => {
    const { lines, logger } = recordingLogger()
    const relay = new Relay({ store, kafka: createKafka(brokers, name, logger), logger, name })
    await relay.start()
    try {
      await relay.connected()
      await appendLoad(store, tasks, events)
      await caughtUp(store, name)
    } finally {
      await relay.stop()
    }
    return lines.filter(
      (line) => (line.level === 'warn' || line.level === 'error') && !boundedRetries.test(line.message),
    )
  }

  await run(5)
  const complaints = await run(5)
  t.same(complaints, [], 'the second run: no topic created again, no warning')
})
