import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { allEventsTopic, bureauTopic } from '@coord/relay'
import type { EventStore } from '@coord/eventstore'
import t, { type Test } from 'tap'
import { checkTopic, eventsFor } from './support/check.ts'
import {
  allEvents,
  appendLoad,
  caughtUp,
  kafkaClient,
  loadTasks,
  openTestStore,
  unique,
} from './support/store.ts'
import { ensureTopic, readTopic, topicEnds } from './support/topics.ts'

// Reliability, real PostgreSQL and Kafka: the relay runs in a process of its own and is killed
// with SIGKILL four times while events are being appended, each time after it has moved the
// checkpoint; each time a new one starts from there. At the end every event is on every topic it belongs on, each stream in order.

const root = join(import.meta.dirname, '..', '..')

/** The relay process of tests/kafka/fixtures/relay-process.ts, restarted after each kill. */
class RelayProcess {
  private child: ChildProcess | null = null
  readonly starts: number[] = []
  readonly killedAt: number[] = []
  output = ''

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** Starts a relay process and waits until it reads from its checkpoint. */
  start(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/kafka/fixtures/relay-process.ts'], {
      cwd: root,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.child = child
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the relay did not start:\n${this.output}`)), 120_000)
      child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()))
      child.stdout?.on('data', (chunk: Buffer) => {
        this.output += chunk.toString()
        const started = /relay started at (\d+)/.exec(chunk.toString())
        if (started) {
          clearTimeout(timer)
          this.starts.push(Number(started[1]))
          resolve()
        }
      })
      child.once('exit', (code, signal) => {
        clearTimeout(timer)
        reject(new Error(`the relay exited (${code ?? signal}) before it started:\n${this.output}`))
      })
    })
  }

  /**
   * Once the running relay has had the broker acknowledge something past where it started (so it
   * is killed with work in hand, not while starting), SIGKILL: no stop, no flush, no goodbye.
   * Then a new relay from the checkpoint.
   */
  async crash(store: EventStore, name: string): Promise<void> {
    const from = this.starts[this.starts.length - 1] ?? 0
    const deadline = Date.now() + 30_000
    while ((await store.checkpoint(name)) <= from && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    this.killedAt.push(await store.checkpoint(name))
    await this.signal('SIGKILL')
    await this.start()
  }

  /** Sends `signal` and resolves with the exit code once the process is gone. */
  signal(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child
    if (!child || child.exitCode !== null || child.signalCode !== null)
      return Promise.resolve(child?.exitCode ?? null)
    return new Promise((resolve) => {
      child.once('exit', (code) => resolve(code))
      child.kill(signal)
    })
  }
}

async function relayProcess(t: Test, env: NodeJS.ProcessEnv): Promise<RelayProcess> {
  const relay = new RelayProcess(env)
  t.teardown(() => relay.signal('SIGKILL'))
  await relay.start()
  return relay
}

t.test('a relay killed with SIGKILL four times mid-stream loses no event on any topic', async (t) => {
  const { brokers, kafka } = kafkaClient()
  const { store, schema } = await openTestStore(t, 'relay_sigkill')
  const leads = [unique('b'), unique('b')]
  const partners = [unique('p')]
  const tasks = loadTasks(15, leads, partners)
  await ensureTopic(kafka, allEventsTopic)
  const allFrom = await topicEnds(kafka, allEventsTopic)

  const name = unique('relay-sigkill')
  const { NODE_OPTIONS: _loaders, ...inherited } = process.env
  const relay = await relayProcess(t, {
    ...inherited,
    DATABASE_URL: schema.connectionString,
    RELAY_SCHEMA: schema.schema,
    KAFKA_BROKERS: brokers.join(','),
    RELAY_NAME: name,
  })
  // A kill is due every 300 events appended; appends wait for it once 150 more are in, so the
  // kills spread over the load instead of piling up behind a slow restart.
  let crashes: Promise<void> = Promise.resolve()
  let kills = 0
  const total = await appendLoad(store, tasks, 100, async (count) => {
    if (kills < 4 && count >= (kills + 1) * 300) {
      kills += 1
      crashes = crashes.then(() => relay.crash(store, name))
    }
    if (count >= kills * 300 + 150) await crashes
  })
  await crashes
  t.equal(total, 1500)
  t.equal(relay.starts.length, 5, 'the relay started once and after each of 4 kills')
  t.equal(relay.starts[0], 0, 'the first relay starts from nothing')
  t.ok(
    relay.killedAt.every((at, i) => at > (relay.starts[i] ?? 0) && (relay.starts[i + 1] ?? 0) >= at),
    `each relay was killed after it moved the checkpoint, and the next resumed from its checkpoint (started at ${relay.starts.join(', ')}; killed at ${relay.killedAt.join(', ')})`,
  )
  await caughtUp(store, name, 120_000)
  t.equal(await relay.signal('SIGTERM'), 0, 'the last relay stops cleanly on SIGTERM')

  const events = await allEvents(store)
  t.equal(events.length, 1500)
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
