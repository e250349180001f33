import type { EventStore, RecordedEvent } from '@coord/eventstore'
import t, { type Test } from 'tap'
import { DeadlineWatcher } from '../../src/index.ts'
import {
  eventsOf,
  given,
  newIds,
  openApi,
  paths,
  stages,
  steps,
  streams,
  type Ids,
  type Step,
} from '../http/harness.ts'

// The deadline watcher on a real (in-memory) store, with a clock the tests set. Each notice is
// asserted by reading the task's stream back, never by trusting what check() answers.

const api = await openApi(t)

/** 2018-03-01 10:00 in Shanghai; deadlines are business days in UTC+8. */
const march1 = new Date('2018-03-01T02:00:00.000Z')
const march5 = new Date('2018-03-05T02:00:00.000Z')
const march7 = new Date('2018-03-07T02:00:00.000Z')

const noticeTypes = ['DeadlineApproaching', 'DeadlineMissed']

/**
 * The store as one watcher sees it: the position its subscription has delivered up to, and a gate
 * that holds delivery back, so a test can make a watcher that lags behind the stream.
 */
class WatcherView {
  delivered = 0
  readonly store: EventStore
  private gate: Promise<void> | null = null
  private open: () => void = () => undefined

  constructor(inner: EventStore) {
    // A proxy, not a copy of the interface: every other method goes to the real store unchanged.
    this.store = new Proxy(inner, {
      get: (target, property) => {
        if (property === 'subscribeToAll') return this.subscribe(target)
        const value: unknown = Reflect.get(target, property, target)
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
      },
    })
  }

  private subscribe(inner: EventStore): EventStore['subscribeToAll'] {
    return (options, handler) =>
      inner.subscribeToAll(options, async (event) => {
        await this.gate
        await handler(event)
        this.delivered = event.position
      })
  }

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve))
  }

  release(): void {
    this.open()
    this.gate = null
  }
}

interface Running {
  watcher: DeadlineWatcher
  view: WatcherView
  clock: { now: Date }
}

/** A started watcher with a fixed clock (its timer is an hour away: tests call check()). */
function startWatcher(t: Test, now = march1, leadDays = 7): Running {
  const view = new WatcherView(api.store)
  const clock = { now }
  const watcher = new DeadlineWatcher(view.store, { leadDays, intervalMs: 3_600_000, clock: () => clock.now })
  watcher.start()
  t.teardown(async () => {
    view.release()
    await watcher.stop()
  })
  return { watcher, view, clock }
}

/**
 * Waits until the watcher's subscription has delivered every event in the store. Every event this
 * file writes is on a task stream, the streams the watcher follows, so the head is where it ends up.
 */
async function caughtUp(...watchers: Running[]): Promise<void> {
  const head = await api.store.headPosition()
  for (const running of watchers) {
    for (let tries = 0; running.view.delivered < head; tries += 1) {
      if (tries > 1500)
        throw new Error(`the watcher did not reach position ${head} (at ${running.view.delivered})`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
}

/** Runs one check: what it says it recorded, and what the store shows it appended. */
async function check(running: Running): Promise<{ counted: number; appended: number }> {
  const before = await api.store.headPosition()
  const counted = await running.watcher.check()
  return { counted, appended: (await api.store.headPosition()) - before }
}

async function taskWithDeadline(deadline: string, extra: Step[] = []): Promise<Ids> {
  const ids = newIds('w')
  await given(api, ids, { task: ['publish'] })
  const res = await api.post(paths.task(ids.planId, ids.taskId, 'deadline'), { body: { deadline } })
  if (res.statusCode !== 200) throw new Error(`deadline: ${res.body}`)
  await given(api, ids, { task: extra })
  return ids
}

async function notices(ids: Ids): Promise<RecordedEvent[]> {
  return (await eventsOf(api.store, streams.task(ids))).filter((e) => noticeTypes.includes(e.type))
}

const summary = (events: RecordedEvent[]) => events.map((e) => ({ type: e.type, data: e.data }))

t.test(
  'a task due in three days gets exactly one DeadlineApproaching with seven days of lead time',
  async (t) => {
    const due = await taskWithDeadline('2018-03-04')
    const later = await taskWithDeadline('2018-03-11')
    const running = startWatcher(t)
    await caughtUp(running)
    const first = await check(running)
    t.equal(first.counted, first.appended, 'check() counts the notices it appended')
    const recorded = await notices(due)
    t.same(summary(recorded), [
      { type: 'DeadlineApproaching', data: { deadline: '2018-03-04', daysLeft: 3 } },
    ])
    t.match(recorded[0]?.metadata, {
      actor: { role: 'system', user: 'deadline-watcher' },
      occurredAt: march1.toISOString(),
      correlationId: String,
    })
    t.same(await notices(later), [], 'a deadline ten days away gets nothing yet')
  },
)

t.test('checking again and again adds nothing once the notice is recorded', async (t) => {
  const due = await taskWithDeadline('2018-03-04')
  const running = startWatcher(t)
  await caughtUp(running)
  await running.watcher.check()
  await caughtUp(running)
  const before = await eventsOf(api.store, streams.task(due))
  for (let i = 0; i < 3; i += 1) t.same(await check(running), { counted: 0, appended: 0 }, `check ${i + 2}`)
  t.same(await eventsOf(api.store, streams.task(due)), before, 'the stream is unchanged')
  t.equal((await notices(due)).length, 1)
})

t.test('once the deadline has passed the task gets exactly one DeadlineMissed', async (t) => {
  const due = await taskWithDeadline('2018-03-04')
  const running = startWatcher(t)
  await caughtUp(running)
  await running.watcher.check()
  running.clock.now = march5
  await caughtUp(running)
  const missed = await check(running)
  t.equal(missed.counted, missed.appended, 'check() counts the notices it appended')
  await caughtUp(running)
  t.same(await check(running), { counted: 0, appended: 0 }, 'a second check adds nothing')
  t.same(summary(await notices(due)), [
    { type: 'DeadlineApproaching', data: { deadline: '2018-03-04', daysLeft: 3 } },
    { type: 'DeadlineMissed', data: { deadline: '2018-03-04' } },
  ])
})

t.test(
  'a deadline first seen after it passed gets DeadlineMissed and no late DeadlineApproaching',
  async (t) => {
    const due = await taskWithDeadline('2018-02-27')
    const running = startWatcher(t)
    await caughtUp(running)
    await running.watcher.check()
    t.same(summary(await notices(due)), [{ type: 'DeadlineMissed', data: { deadline: '2018-02-27' } }])
  },
)

t.test('a watcher started again on the same store adds nothing that was recorded before', async (t) => {
  const due = await taskWithDeadline('2018-03-04')
  const first = startWatcher(t)
  await caughtUp(first)
  await first.watcher.check()
  first.clock.now = march5
  await caughtUp(first)
  await first.watcher.check()
  await first.watcher.stop()
  const before = await eventsOf(api.store, streams.task(due))
  t.equal(before.filter((e) => noticeTypes.includes(e.type)).length, 2, 'approaching and missed recorded')

  const fresh = await taskWithDeadline('2018-03-03')
  const restarted = startWatcher(t, march1)
  await caughtUp(restarted)
  await restarted.watcher.check()
  restarted.clock.now = march5
  await caughtUp(restarted)
  await restarted.watcher.check()
  t.same(await eventsOf(api.store, streams.task(due)), before, 'nothing new for the task seen before')
  t.same(
    summary(await notices(fresh)).map((n) => n.type),
    noticeTypes,
    'the restarted watcher works: a new task gets its notices',
  )
})

t.test('two watchers checking at the same moment record each notice once', async (t) => {
  const tasks = [
    await taskWithDeadline('2018-03-02'),
    await taskWithDeadline('2018-03-03'),
    await taskWithDeadline('2018-03-04'),
  ]
  const a = startWatcher(t)
  const b = startWatcher(t)
  for (const now of [march1, march5]) {
    a.clock.now = now
    b.clock.now = now
    await caughtUp(a)
    await caughtUp(b)
    await Promise.all([a.watcher.check(), b.watcher.check(), a.watcher.check(), b.watcher.check()])
  }
  for (const ids of tasks) {
    t.same(
      (await notices(ids)).map((e) => e.type),
      noticeTypes,
      `${ids.planId}: one DeadlineApproaching, then one DeadlineMissed`,
    )
  }
})

// Regression: a watcher whose subscription lags behind sends a notice another watcher already
// recorded; the idempotency key turns the append into a replay, yet check() counts it (and logs
// "deadline notice recorded") as if it had recorded it.
t.test(
  "a watcher that has not yet seen another watcher's notice records nothing and counts nothing",
  async (t) => {
    const due = await taskWithDeadline('2018-03-04')
    const a = startWatcher(t)
    const b = startWatcher(t)
    await caughtUp(a)
    await caughtUp(b)
    b.view.hold()
    const first = await check(a)
    t.equal(first.counted, first.appended, 'the first watcher counts what it recorded')
    t.equal((await notices(due)).length, 1, 'the first watcher recorded the notice')
    const before = await eventsOf(api.store, streams.task(due))
    t.same(
      await check(b),
      { counted: 0, appended: 0 },
      'the lagging watcher reports that it recorded nothing',
    )
    t.same(await eventsOf(api.store, streams.task(due)), before, 'the lagging watcher appended nothing')
    b.view.release()
  },
)

t.test('a changed deadline gets notices of its own', async (t) => {
  const due = await taskWithDeadline('2018-03-04')
  const running = startWatcher(t)
  await caughtUp(running)
  await running.watcher.check()
  const moved = await api.post(paths.task(due.planId, due.taskId, 'deadline-change'), {
    as: 'supervisor',
    body: { deadline: '2018-03-06', reason: '展会延期' },
  })
  t.equal(moved.statusCode, 200, moved.body)
  await caughtUp(running)
  await running.watcher.check()
  running.clock.now = march7
  await caughtUp(running)
  await running.watcher.check()
  await caughtUp(running)
  await running.watcher.check()
  const types = (await eventsOf(api.store, streams.task(due))).map((e) => e.type)
  t.same(types, [
    'TaskPublished',
    'DeadlineSet',
    'DeadlineApproaching',
    'DeadlineChanged',
    'DeadlineApproaching',
    'DeadlineMissed',
  ])
  t.same(summary(await notices(due)), [
    { type: 'DeadlineApproaching', data: { deadline: '2018-03-04', daysLeft: 3 } },
    { type: 'DeadlineApproaching', data: { deadline: '2018-03-06', daysLeft: 5 } },
    { type: 'DeadlineMissed', data: { deadline: '2018-03-06' } },
  ])
})

t.test('closed and cancelled tasks get no notices, while an open task beside them does', async (t) => {
  // The harness's deadline step sets 2019-12-31; on 2020-01-02 it has passed for all three.
  const withDeadline = (path: readonly Step[]): Step[] => ['publish', 'assign', 'deadline', ...path.slice(2)]
  const closed = newIds('closed')
  const cancelled = newIds('cancelled')
  const open = newIds('open')
  await given(api, closed, { task: withDeadline(stages.closed) })
  await given(api, cancelled, { task: withDeadline(stages.cancelled) })
  await given(api, open, { task: withDeadline(stages.assigned) })
  t.equal(steps.deadline.body(open).deadline, '2019-12-31')
  const running = startWatcher(t, new Date('2020-01-02T02:00:00.000Z'))
  await caughtUp(running)
  await running.watcher.check()
  t.same(await notices(closed), [], 'closed: none')
  t.same(await notices(cancelled), [], 'cancelled: none')
  t.same(summary(await notices(open)), [{ type: 'DeadlineMissed', data: { deadline: '2019-12-31' } }])
})
