import type { FastifyInstance } from 'fastify'
import { dutyListStreamId, reorganisationStreamId } from '@coord/events/responsibility'
import { openEmbeddedStore, type EventStore, type RecordedEvent } from '@coord/eventstore'
import { executeCommand } from '@coord/service-kit'
import t, { type Test } from 'tap'
import { build, ReorganisationProcessManager } from '../../src/index.ts'
import { config, fresh, get, post, publish, register } from '../http/helpers.ts'
import { taskStandIn, type TaskCommand } from './task-stand-in.ts'

// The process manager against a real embedded store: the reorganisation is decided over HTTP,
// and its follow-ups (dissolution, duty transfers and receipts, task reassignments, completion)
// must each be recorded exactly once, however often events are delivered and however often the
// process manager stops, crashes or runs twice.

const planner = { role: 'planner' as const, user: 'plan-office' }

async function task(store: EventStore, taskId: string, leads: string[], partners: string[], close = false) {
  const streamId = `task-pudong-ip-2017/${taskId}`
  const send = (command: Omit<TaskCommand, 'metadata'>) =>
    executeCommand({
      store,
      streamId,
      decider: taskStandIn,
      command: { ...command, metadata: { actor: planner, now: new Date().toISOString() } } as TaskCommand,
      buildMetadata: () => ({
        actor: planner,
        correlationId: 'test',
        causationId: null,
        occurredAt: new Date().toISOString(),
      }),
    })
  await send({ type: 'PublishTask', data: { planId: 'pudong-ip-2017', taskId, title: taskId } })
  await send({ type: 'AssignTask', data: { leads, partners } })
  if (close) await send({ type: 'CloseTask', data: {} })
  return streamId
}

/** Two bureaus merge into a third; each has duties and tasks. Returns what the merge should move. */
async function scenario(app: FastifyInstance, store: EventStore) {
  const [a, b, into, reorganisationId] = [fresh('pma'), fresh('pmb'), fresh('pmc'), fresh('reform')]
  for (const id of [a, b, into]) await register(app, id)
  await publish(app, a, [`${a}-1`, `${a}-2`])
  await publish(app, b, [`${b}-1`])
  const tasks = [
    await task(store, `${a}-lead`, [a], [into]),
    await task(store, `${b}-partner`, [into], [a, b]),
  ]
  await task(store, `${a}-closed`, [a], [], true)
  const body = {
    reorganisationId,
    fromBureauIds: [a, b],
    intoBureauId: into,
    effectiveDate: '2019-01-01',
    reason: '机构改革',
  }
  const decided = await post(app, '/reorganisations/merge', body)
  if (decided.statusCode !== 200) throw new Error(decided.body)
  return { a, b, into, reorganisationId, tasks, duties: [`${a}-1`, `${a}-2`, `${b}-1`] }
}

async function eventsOf(store: EventStore, correlationId: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = []
  for await (const event of store.readAll())
    if (event.metadata.correlationId === correlationId) events.push(event)
  return events
}

/** Each follow-up of the scenario, recorded once: the counts by event type and stream. */
async function checkOnce(t: Test, store: EventStore, s: Awaited<ReturnType<typeof scenario>>) {
  const events = await eventsOf(store, s.reorganisationId)
  const count = (type: string) => events.filter((e) => e.type === type).length
  t.equal(count('BureauDissolved'), 2, 'both old bureaus dissolved once')
  t.equal(count('DutyTransferred'), 3, 'each duty transferred once')
  t.equal(count('DutyReceived'), 3, 'each duty received once')
  t.equal(count('TaskAssigned'), 2, 'each open task reassigned once, the closed one left alone')
  t.equal(count('ReorganisationCompleted'), 1, 'completed once')
  const received = events.filter((e) => e.type === 'DutyReceived').map((e) => e.streamId)
  t.same([...new Set(received)], [dutyListStreamId(s.into, 'power')])
  const assigned = events.filter((e) => e.type === 'TaskAssigned')
  t.same(
    assigned.map((e) => e.data),
    [
      { leads: [s.into], partners: [], cause: { kind: 'reorganisation', id: s.reorganisationId } },
      { leads: [s.into], partners: [], cause: { kind: 'reorganisation', id: s.reorganisationId } },
    ],
  )
  t.ok(
    events.every((e) => e.metadata.occurredAt === '2019-01-01T00:00:00+08:00'),
    'in force from the day',
  )
  return events.length
}

const started: ReorganisationProcessManager[] = []
const failures: string[] = []
const logger = {
  info: () => undefined,
  warn: () => undefined,
  error: (details: object) => void failures.push(String((details as { err?: unknown }).err)),
}
function processManager(store: EventStore, restartDelayMs: number | null = null) {
  const pm = new ReorganisationProcessManager({ store, taskDecider: taskStandIn, restartDelayMs, logger })
  started.push(pm)
  return pm
}
t.afterEach(async () => {
  await Promise.all(started.splice(0).map((pm) => pm.stop()))
})

const store = await openEmbeddedStore()
const app = await build(config, { store })
t.teardown(async () => {
  await app.close()
  await store.close()
})

t.test('a merge moves duties and open tasks to the successor, and the as-of query follows it', async (t) => {
  const s = await scenario(app, store)
  const pm = processManager(store)
  await pm.start()
  await pm.settled()
  await checkOnce(t, store, s)
  const before = (await get(app, `/bureaus/${s.a}?asOf=2018-12-31`)).json().bureau
  t.equal(before.status, 'active')
  const after = (await get(app, `/bureaus/${s.a}?asOf=2019-01-01`)).json().bureau
  t.equal(after.status, 'dissolved')
  t.same(after.successorIds, [s.into])
  t.equal((await get(app, `/duties/${s.b}-1?asOf=2018-12-31`)).json().bureauId, s.b)
  t.equal((await get(app, `/duties/${s.b}-1?asOf=2019-01-01`)).json().bureauId, s.into)
  const reorganisation = (await get(app, `/reorganisations/${s.reorganisationId}`)).json()
  t.equal(reorganisation.status, 'completed')
  t.same(reorganisation.completion.refused, [])
})

t.test('delivering the same events again records nothing more', async (t) => {
  const s = await scenario(app, store)
  const pm = processManager(store)
  await pm.start()
  await pm.settled()
  const recorded = await checkOnce(t, store, s)
  const all: RecordedEvent[] = []
  for await (const event of store.readAll()) all.push(event)
  for (const event of all) await pm.handle(event)
  t.equal(
    (await eventsOf(store, s.reorganisationId)).length,
    recorded,
    'a redelivery of the whole log adds nothing',
  )
  await checkOnce(t, store, s)
})

t.test('a process manager restarted from the start of the log records nothing more', async (t) => {
  const s = await scenario(app, store)
  const first = processManager(store)
  await first.start()
  await first.settled()
  await first.stop()
  const head = await store.headPosition()
  const second = processManager(store)
  await second.start()
  await second.settled()
  t.equal(await store.headPosition(), head, 'the restart appended nothing')
  await checkOnce(t, store, s)
})

/** The store as the process manager sees it, losing its connection at the n-th append. */
function failingAt(store: EventStore, n: number): EventStore {
  let appends = 0
  return {
    adapter: store.adapter,
    appendToStream: (streamId, events, options) => {
      appends += 1
      return appends === n
        ? Promise.reject(new Error('connection lost'))
        : store.appendToStream(streamId, events, options)
    },
    readStream: (streamId, options) => store.readStream(streamId, options),
    readAll: (options) => store.readAll(options),
    streamState: (streamId) => store.streamState(streamId),
    idempotentResult: (key) => store.idempotentResult(key),
    headPosition: () => store.headPosition(),
    subscribeToAll: (options, handler) => store.subscribeToAll(options, handler),
    checkpoint: (name) => store.checkpoint(name),
    saveCheckpoint: (name, position) => store.saveCheckpoint(name, position),
    close: () => store.close(),
  }
}

t.test('a process manager that crashes midway and starts over completes each step once', async (t) => {
  for (const n of [2, 5, 9]) {
    failures.length = 0
    const s = await scenario(app, store)
    const pm = processManager(failingAt(store, n), 20)
    await pm.start()
    const reorganisation = reorganisationStreamId(s.reorganisationId)
    const deadline = Date.now() + 20_000
    while ((await store.streamState(reorganisation))?.revision !== 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20))
    await pm.settled()
    t.same(failures, ['Error: connection lost'], `it crashed at append ${n}`)
    await checkOnce(t, store, s)
    await pm.stop()
  }
})

t.test('a crashed process manager replaced by a new one completes each step once', async (t) => {
  failures.length = 0
  const s = await scenario(app, store)
  const crashed = processManager(failingAt(store, 4))
  await crashed.start()
  while (failures.length === 0) await new Promise((resolve) => setTimeout(resolve, 20))
  await crashed.stop()
  t.equal(
    (await eventsOf(store, s.reorganisationId)).length,
    3,
    'three follow-ups were recorded before the crash',
  )
  const replacement = processManager(store)
  await replacement.start()
  await replacement.settled()
  await checkOnce(t, store, s)
})

t.test('two process managers running at once record each follow-up once', async (t) => {
  const s = await scenario(app, store)
  const [one, two] = [processManager(store), processManager(store)]
  await one.start()
  await two.start()
  await Promise.all([one.settled(), two.settled()])
  await checkOnce(t, store, s)
})
