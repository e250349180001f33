import { randomBytes } from 'node:crypto'
import {
  openPostgresStore,
  uuidv7,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@coord/eventstore'
import { createTestSchema, type TestSchema } from '@coord/eventstore/testing'
import { Relay, createKafka } from '@coord/relay'
import { Kafka, logLevel } from 'kafkajs'
import type { Test } from 'tap'
import { ensureKafka } from '../../support/kafka.ts'

/** A short random suffix: bureau ids, plan ids and relay names unique to one test run. */
export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`
}

/**
 * The broker (started if need be) and a silent kafkajs client on it for the test's own reads and
 * writes. Its retries outlast a broker restart (about 4 minutes in all, where the relay's client
 * gives up an attempt after about 50 s and the relay tries again): another test file may restart
 * the shared local broker at any moment (broker-restart.test.ts).
 */
export function kafkaClient(clientId = unique('kafka-test')): { brokers: string[]; kafka: Kafka } {
  const brokers = ensureKafka()
  const kafka = new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 300, retries: 15 },
  })
  return { brokers, kafka }
}

/** An event store on a PostgreSQL schema of the test's own, closed and dropped in teardown. */
export async function openTestStore(
  t: Test,
  prefix = 'kafka',
): Promise<{ store: EventStore; schema: TestSchema }> {
  const schema = await createTestSchema(prefix)
  const store = await openPostgresStore({ connectionString: schema.connectionString, schema: schema.schema })
  t.teardown(async () => {
    await store.close()
    await schema.drop()
  })
  return { store, schema }
}

/**
 * A relay from checkpoint 0 of `store` under a checkpoint name of its own, stopped in teardown. It
 * gets a kafkajs client as the platform makes one (createKafka), not the test's patient one.
 */
export async function startRelay(
  t: Test,
  store: EventStore,
  brokers: string[],
  name = unique('relay'),
): Promise<Relay> {
  const relay = new Relay({ store, kafka: createKafka(brokers, name), name })
  await relay.start()
  t.teardown(() => relay.stop())
  await relay.connected()
  return relay
}

/** Waits until the checkpoint `name` reaches the store's head, or fails after `timeoutMs`. */
export async function caughtUp(store: EventStore, name: string, timeoutMs = 120_000): Promise<number> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const head = await store.headPosition()
    const checkpoint = await store.checkpoint(name)
    if (checkpoint >= head) return head
    if (Date.now() > deadline)
      throw new Error(`relay ${name} at ${checkpoint} of ${head} after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

export async function allEvents(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = []
  for await (const event of store.readAll()) events.push(event)
  return events
}

const planner = { role: 'planner', user: 'relay-test' }

function metadata(actor: { role: string; bureauId?: string; user: string } = planner) {
  return { actor, correlationId: uuidv7(), causationId: null, occurredAt: new Date().toISOString() }
}

/** A task's first events: published, then assigned to one lead and one partner bureau. */
export function taskStart(planId: string, taskId: string, lead: string, partner: string): NewEvent[] {
  return [
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
      metadata: metadata(),
    },
    {
      id: uuidv7(),
      type: 'TaskAssigned',
      data: { leads: [lead], partners: [partner] },
      metadata: metadata(),
    },
  ]
}

/** A progress report of `bureauId` on its task: a public event every bureau of the task receives. */
export function progress(bureauId: string, percent: number): NewEvent {
  return {
    id: uuidv7(),
    type: 'ProgressReported',
    data: { bureauId, percent, narrative: `第${percent}次进展报告`, evidence: [] },
    metadata: metadata({ role: 'bureau', bureauId, user: `${bureauId}-clerk` }),
  }
}

/** One task stream of a load test: who leads it, who partners on it, and its stream id. */
export interface LoadTask {
  streamId: string
  planId: string
  taskId: string
  lead: string
  partner: string
}

/**
 * Appends `perStream` events to each task (publish, assign, then progress reports), one event per
 * append, the tasks side by side; calls `onAppended` after each append with the running count.
 */
export async function appendLoad(
  store: EventStore,
  tasks: LoadTask[],
  perStream: number,
  onAppended: (count: number) => Promise<void> | void = () => undefined,
): Promise<number> {
  let count = 0
  await Promise.all(
    tasks.map(async (task) => {
      const events = [...taskStart(task.planId, task.taskId, task.lead, task.partner)]
      for (let i = events.length; i < perStream; i++) events.push(progress(task.lead, i % 101))
      for (const event of events) {
        await store.appendToStream(task.streamId, [event])
        count += 1
        await onAppended(count)
      }
    }),
  )
  return count
}

/** `n` tasks of a fresh plan, each led by one of `leads` and partnered by one of `partners`. */
export function loadTasks(n: number, leads: string[], partners: string[]): LoadTask[] {
  const planId = unique('plan')
  return Array.from({ length: n }, (_, i) => {
    const taskId = `三.(二).${i + 1}`
    return {
      planId,
      taskId,
      streamId: `task-${planId}/${taskId}`,
      lead: leads[i % leads.length] ?? 'lead',
      partner: partners[i % partners.length] ?? 'partner',
    }
  })
}
