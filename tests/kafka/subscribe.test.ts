import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { bureauTopic } from '@coord/relay'
import type { Kafka } from 'kafkajs'
import t, { type Test } from 'tap'
import {
  allEvents,
  caughtUp,
  kafkaClient,
  loadTasks,
  openTestStore,
  progress,
  startRelay,
  taskStart,
  unique,
} from './support/store.ts'
import { readTopic, topicEnds, topicExists, withAdmin } from './support/topics.ts'

// Integration, real PostgreSQL and Kafka: `coord subscribe` (the real CLI in a process of its own)
// joins a consumer group on a bureau's topic, prints each event once even when the topic holds a
// record twice, exits 0 on Ctrl-C, and the next run of the group goes on where the last stopped.

const root = join(import.meta.dirname, '..', '..')

interface Line {
  id: string
  type: string
  streamId: string
  revision: number
  kafka: { topic: string }
}

/** `coord subscribe …` running; its stdout lines as they come. */
class Subscriber {
  readonly lines: string[] = []
  stderr = ''
  private readonly child: ChildProcess
  private readonly exited: Promise<number | null>

  constructor(t: Test, args: string[]) {
    const { NODE_OPTIONS: _loaders, ...env } = process.env
    this.child = spawn(
      process.execPath,
      ['--import', 'tsx', 'packages/cli/src/main.ts', 'subscribe', ...args],
      {
        cwd: root,
        env: { ...env, LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let partial = ''
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n')
      partial = parts.pop() ?? ''
      this.lines.push(...parts)
    })
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk))
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)))
    t.teardown(() => {
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL')
    })
  }

  json(): Line[] {
    return this.lines.map((line) => JSON.parse(line) as Line)
  }

  async waitForLines(n: number, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (this.lines.length < n) {
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`${this.lines.length} of ${n} lines; stderr:\n${this.stderr}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  async waitForStderr(text: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!this.stderr.includes(text)) {
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`no '${text}' on stderr:\n${this.stderr}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  /** Ctrl-C; resolves with the exit code. */
  interrupt(): Promise<number | null> {
    this.child.kill('SIGINT')
    return this.exited
  }
}

/** Waits until the group has committed the end of every partition: it has read everything. */
async function groupDone(kafka: Kafka, groupId: string, topic: string, timeoutMs = 120_000): Promise<void> {
  const ends = await topicEnds(kafka, topic)
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const [committed] = await withAdmin(kafka, (admin) => admin.fetchOffsets({ groupId, topics: [topic] }))
    const behind = (committed?.partitions ?? []).filter(
      // An empty partition has nothing to commit (-1); any other must be committed to its end.
      (p) => (ends.get(p.partition) ?? 0n) > 0n && BigInt(p.offset) < (ends.get(p.partition) ?? 0n),
    )
    if (committed && behind.length === 0) return
    if (Date.now() > deadline) throw new Error(`group ${groupId} did not reach the end of ${topic}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** Sends a record of the topic again, byte for byte: what a relay resending after a crash does. */
async function resend(kafka: Kafka, topic: string): Promise<string> {
  const [record] = await readTopic(kafka, topic)
  if (!record) throw new Error(`${topic} is empty`)
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
  await producer.connect()
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: [
        { partition: record.partition, key: record.key, value: record.value, headers: record.headers },
      ],
    })
  } finally {
    await producer.disconnect()
  }
  return record.headers.ce_id ?? ''
}

t.test(
  'coord subscribe prints each event of its bureau once, exits 0 on Ctrl-C, and its group resumes where it stopped',
  async (t) => {
    const { brokers, kafka } = kafkaClient()
    const { store } = await openTestStore(t, 'subscribe')
    const bureau = unique('b')
    const [first, second] = loadTasks(2, [bureau], [unique('p')])
    if (!first || !second) throw new Error('two tasks')
    for (const task of [first, second]) {
      const events = [
        ...taskStart(task.planId, task.taskId, task.lead, task.partner),
        progress(bureau, 30),
        progress(bureau, 60),
      ]
      await store.appendToStream(task.streamId, events)
    }
    const name = unique('relay-subscribe')
    await startRelay(t, store, brokers, name)
    await caughtUp(store, name)
    const topic = bureauTopic(bureau)
    const repeated = await resend(kafka, topic)
    const expected = await allEvents(store)
    t.equal(
      expected.length,
      8,
      'the bureau is concerned by 8 events (publication, assignment, 2 reports, twice)',
    )

    const group = unique('coord-subscribe-test')
    const args = ['--bureau', bureau, '--brokers', brokers.join(','), '--group', group]
    const run1 = new Subscriber(t, [...args, '--json', '--from-beginning'])
    await run1.waitForLines(8)
    await groupDone(kafka, group, topic)
    t.equal(await run1.interrupt(), 0, 'Ctrl-C ends it with exit code 0')
    const printed = run1.json()
    t.same(
      printed.map((l) => l.id).sort(),
      expected.map((e) => e.id).sort(),
      `each event once, ${repeated} included although the topic holds it twice`,
    )
    t.ok(
      printed.every((l) => l.kafka.topic === topic),
      'every line says the topic it was read from',
    )
    for (const task of [first, second]) {
      const revisions = printed.filter((l) => l.streamId === task.streamId).map((l) => l.revision)
      t.same(revisions, [1, 2, 3, 4], `${task.taskId} in revision order, its publication first`)
    }
    t.match(run1.stderr, `订阅 ${topic}`, 'it says what it follows on stderr, not stdout')

    // The group stopped at the end: the next run prints only what came since.
    const later = [progress(bureau, 90), progress(bureau, 100)]
    await store.appendToStream(first.streamId, later)
    await caughtUp(store, name)
    const run2 = new Subscriber(t, [...args, '--json'])
    await run2.waitForLines(2)
    await groupDone(kafka, group, topic)
    t.equal(await run2.interrupt(), 0, 'Ctrl-C: exit 0')
    t.same(
      run2.json().map((l) => l.id),
      later.map((e) => e.id),
      'the group resumes after the last event it read',
    )

    // --from-beginning replays the topic for a group that has read it all, as readable lines.
    const run3 = new Subscriber(t, [...args, '--from-beginning'])
    await run3.waitForLines(10)
    await groupDone(kafka, group, topic)
    t.equal(await run3.interrupt(), 0, 'Ctrl-C: exit 0')
    t.equal(run3.lines.length, 10, 'every event of the bureau once')
    t.match(
      run3.lines[0],
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}  任务 三\.\(二\)\.\d  任务发布 \(TaskPublished\)  \S+/,
      'the task comes first, published with its title',
    )
    t.match(
      run3.lines[1],
      new RegExp(
        `^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}  任务 三\\.\\(二\\)\\.\\d  任务分派 \\(TaskAssigned\\)  牵头 ${bureau}；配合 p-\\w+$`,
      ),
      'a line in Chinese: time, task, type and who',
    )
    t.ok(
      run3.lines.some(
        (line) => line.includes('进展报告 (ProgressReported)') && line.endsWith(`${bureau} 100%`),
      ),
      'a progress report shows the bureau and its percentage',
    )
  },
)

t.test(
  'coord subscribe for a bureau without events waits for its topic, and Ctrl-C ends it with 0',
  async (t) => {
    const { brokers, kafka } = kafkaClient()
    const bureau = unique('quiet')
    const run = new Subscriber(t, ['--bureau', bureau, '--brokers', brokers.join(','), '--json'])
    await run.waitForStderr(`主题 ${bureauTopic(bureau)} 尚无事件，等待中`)
    t.equal(await run.interrupt(), 0, 'Ctrl-C: exit 0')
    t.same(run.lines, [], 'nothing printed')
    t.notOk(await topicExists(kafka, bureauTopic(bureau)), 'waiting did not create the topic')
  },
)
