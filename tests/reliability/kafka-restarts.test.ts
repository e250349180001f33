import { execFile, execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { Kafka, logLevel } from 'kafkajs'
import t, { type Test } from 'tap'
import type { ChildProcess } from 'node:child_process'
import { allEventsTopic, bureauTopic } from '@coord/relay'
import type { EventStore } from '@coord/eventstore'
import { checkTopic, eventsFor } from '../kafka/support/check.ts'
import { allEvents, appendLoad, caughtUp, loadTasks, openTestStore, unique } from '../kafka/support/store.ts'
import { ensureTopic, readTopic } from '../kafka/support/topics.ts'
import { kafkaScript } from '../support/kafka.ts'
import { killGroup, runEntry } from './support/process.ts'
import { long, record } from './support/results.ts'

// A broker of the test's own is restarted, and the relay (in a process of its own) is SIGKILLed,
// while events are appended and relayed. At the end every event is on every topic it belongs on,
// each stream in order, repeats only of the same ce_id.

const restarts = long ? 5 : 1
const kills = long ? 10 : 2
const execFileAsync = promisify(execFile)
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The disruptions in turn: the broker restarts spread evenly between the relay kills. */
function schedule(): ('kill' | 'restart')[] {
  const steps = Array<'kill' | 'restart'>(kills).fill('kill')
  for (let r = 0; r < restarts; r++)
    steps.splice(Math.floor(((r + 0.5) * kills) / restarts) + r, 0, 'restart')
  return steps
}

async function startRelay(t: Test, env: Record<string, string>) {
  const { child, stderr } = runEntry(t, 'tests/kafka/fixtures/relay-process.ts', env)
  for await (const line of createInterface({ input: child.stdout as NodeJS.ReadableStream })) {
    const started = /relay started at (\d+)/.exec(line)
    if (started) {
      child.stdout?.resume()
      return { child, from: Number(started[1]) }
    }
  }
  throw new Error(`the relay did not start:\n${stderr()}`)
}

t.test(
  `the relay killed ${kills} times and its broker restarted ${restarts} time(s) loses no event on any topic`,
  async (t) => {
    const runDir = mkdtempSync(join(tmpdir(), 'coord-kafka-'))
    // Ports below Linux's ephemeral range (32768-60999): a port in it may be the local end of any
    // outgoing connection of the run at that moment, and the broker then cannot bind it.
    const brokerEnv = {
      ...process.env,
      KAFKA_PORT: '29092',
      KAFKA_CONTROLLER_PORT: '29093',
      KAFKA_RUN_DIR: runDir,
    }
    execFileSync('bash', [kafkaScript, 'up'], { env: brokerEnv, stdio: ['ignore', 'ignore', 'inherit'] })
    t.teardown(() => {
      execFileSync('bash', [kafkaScript, 'down', '--purge'], { env: brokerEnv, stdio: 'ignore' })
      rmSync(runDir, { recursive: true, force: true })
    })
    const brokers = '127.0.0.1:29092'
    const kafka = new Kafka({
      clientId: unique('reliability'),
      brokers: [brokers],
      logLevel: logLevel.NOTHING,
      retry: { initialRetryTime: 300, retries: 15 },
    })
    const { store, schema } = await openTestStore(t, 'rel_kafka')
    await ensureTopic(kafka, allEventsTopic)
    const leads = [unique('b'), unique('b')]
    const partners = [unique('p')]
    const tasks = loadTasks(long ? 30 : 15, leads, partners)
    const name = unique('relay-reliability')
    const env = {
      DATABASE_URL: schema.connectionString,
      RELAY_SCHEMA: schema.schema,
      KAFKA_BROKERS: brokers,
      RELAY_NAME: name,
    }

    let relay: { child: ChildProcess; from: number } = await startRelay(t, env)
    const disrupt = async (step: 'kill' | 'restart', store: EventStore) => {
      if (step === 'restart') {
        await execFileAsync('bash', [kafkaScript, 'restart'], { env: brokerEnv })
        return
      }
      // Killed with work in hand: once it has moved the checkpoint past where it started.
      const deadline = Date.now() + 60_000
      while ((await store.checkpoint(name)) <= relay.from && Date.now() < deadline) await pause(20)
      await killGroup(relay.child, 'SIGKILL')
      relay = await startRelay(t, env)
    }
    const steps = schedule()
    const perStream = 100
    const every = Math.floor((tasks.length * perStream) / (steps.length + 1))
    let chain: Promise<void> = Promise.resolve()
    let done = 0
    const total = await appendLoad(store, tasks, perStream, async (count) => {
      if (done < steps.length && count >= (done + 1) * every) {
        const step = steps[done] as 'kill' | 'restart'
        done += 1
        chain = chain.then(() => disrupt(step, store))
      }
      // Appends wait for a disruption that falls behind, so they spread over the load.
      if (count >= done * every + every / 2) await chain
    })
    await chain
    await caughtUp(store, name, 180_000)
    await killGroup(relay.child, 'SIGTERM')

    const events = await allEvents(store)
    t.equal(events.length, total)
    const failedBefore = t.counts.fail
    checkTopic(t, allEventsTopic, await readTopic(kafka, allEventsTopic, { timeoutMs: 90_000 }), events)
    for (const bureau of [...leads, ...partners]) {
      const topic = bureauTopic(bureau)
      checkTopic(
        t,
        topic,
        await readTopic(kafka, topic, { timeoutMs: 90_000 }),
        eventsFor(events, bureau, tasks),
      )
    }
    const failures = t.counts.fail - failedBefore
    record({
      row: `Kafka: own broker restarted ${restarts} time(s) and the relay process SIGKILLed ${kills} times while publishing`,
      figure: `${restarts} broker restart(s), ${kills} relay kills, ${total.toLocaleString('en')} events on ${1 + leads.length + partners.length} topics; ${failures ? `${failures} checks failed` : 'none missing, every stream in order, repeats only of the same ce_id'}`,
      failures,
    })
  },
)
