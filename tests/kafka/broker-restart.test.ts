import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import { allEventsTopic, bureauTopic } from '@coord/relay'
import t from 'tap'
import { kafkaScript } from '../support/kafka.ts'
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

// Reliability, real PostgreSQL and Kafka: the broker is restarted while events are being appended
// and relayed; afterwards every event is on the all-events topic and on its bureaus' topics, each
// stream in order. The restart disturbs every Kafka client on the machine, so this is the only
// file that does it; the other Kafka tests ride it out (kafkajs reconnects, the relay retries
// until acknowledged, the readers re-read and keep each offset once).

const execFileAsync = promisify(execFile)

/** Whether the brokers are the local one of deploy/kafka, the only one a test may restart. */
function localBroker(brokers: string[]): boolean {
  try {
    const out = execFileSync('bash', [kafkaScript, 'status'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    return out.trim() === `KAFKA_BROKERS=${brokers.join(',')}`
  } catch {
    return false
  }
}

const { brokers, kafka } = kafkaClient()
const skip = localBroker(brokers)
  ? false
  : `KAFKA_BROKERS=${brokers.join(',')} is not the local broker of deploy/kafka, not ours to restart`

t.test('a broker restart in the middle of 2000 events loses none of them', { skip }, async (t) => {
  const { store } = await openTestStore(t, 'broker_restart')
  const leads = [unique('b'), unique('b')]
  const partners = [unique('p'), unique('p')]
  const tasks = loadTasks(20, leads, partners)
  await ensureTopic(kafka, allEventsTopic)
  const allFrom = await topicEnds(kafka, allEventsTopic)

  const name = unique('relay-restart')
  const relay = await startRelay(t, store, brokers, name)
  // Not restartKafka(): its execFileSync would freeze this process, appends and relay included,
  // for the whole restart. Run asynchronously, the appends go on while the broker is away.
  // In an object: assigned in a callback, which control-flow narrowing does not see.
  const broker: { restart: Promise<unknown> | null } = { restart: null }
  let checkpointAtRestart = 0
  let appendedDuringRestart = 0
  let appended = 0
  const total = await appendLoad(store, tasks, 100, async (count) => {
    if (count === 500) {
      // Mid-stream means after the broker acknowledged some of it: on a busy machine the relay may
      // not have had a batch acknowledged yet by the 500th append.
      const until = Date.now() + 30_000
      while ((checkpointAtRestart = (await relay.status()).checkpoint) === 0 && Date.now() < until)
        await new Promise((resolve) => setTimeout(resolve, 20))
      const started = count
      broker.restart = execFileAsync('bash', [kafkaScript, 'restart'], { timeout: 120_000 }).then(
        () => (appendedDuringRestart = appended - started),
      )
    }
    appended = count
    // The last quarter goes in after the broker is back, the middle half while it restarts.
    if (count >= 1500) await broker.restart
  })
  t.equal(total, 2000)
  t.ok(broker.restart, 'the broker was restarted mid-stream')
  await broker.restart
  t.ok(appendedDuringRestart > 0, `${appendedDuringRestart} events were appended while the broker restarted`)
  t.ok(
    checkpointAtRestart > 0 && checkpointAtRestart < 2000,
    `the relay was at ${checkpointAtRestart} of 2000 when the broker went away`,
  )
  await caughtUp(store, name, 120_000)
  const status = await relay.status()
  t.match(status, { checkpoint: 2000, lagEvents: 0 }, 'the relay caught up after the restart')

  const events = await allEvents(store)
  t.equal(events.length, 2000)
  const ours = new Set(events.map((e) => e.streamId))
  const onAll = await readTopic(kafka, allEventsTopic, { from: allFrom, timeoutMs: 90_000 })
  checkTopic(t, allEventsTopic, onAll, events, ours)
  for (const bureau of [...leads, ...partners]) {
    const topic = bureauTopic(bureau)
    checkTopic(
      t,
      topic,
      await readTopic(kafka, topic, { timeoutMs: 90_000 }),
      eventsFor(events, bureau, tasks),
    )
  }
})
