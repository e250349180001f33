// Subscriptions at the head share the page read an append wakes them for, and none of them is
// handed a page older than the append it was woken by.
import t from 'tap'
import { PGlite } from '@electric-sql/pglite'
import { EmbeddedDriver } from '../src/adapters/embedded.ts'
import { SqlEventStore } from '../src/sql-store.ts'
import type { EventStore } from '../src/index.ts'
import { newEvent, positionsOf, range, sleep, track, waitFor, within, type Test } from './contract/helpers.ts'
import { sharedSchema } from './pg-stores.ts'

interface CountingStore {
  store: EventStore
  pageReads: () => number
  /** Holds the answers of the page reads run from now on (they run at once) until `release`. */
  hold: () => void
  release: () => void
}

/** An embedded store counting its reads of the global log; no safety poll within a test's time. */
async function countingStore(t: Test): Promise<CountingStore> {
  let reads = 0
  let held: Promise<void> | null = null
  let release = () => {}
  const driver = new EmbeddedDriver(await PGlite.create())
  const query = driver.query.bind(driver)
  driver.query = async <Row>(sql: string, params?: unknown[]) => {
    if (!/from es_events where position >= \$1/.test(sql)) return query<Row>(sql, params)
    reads += 1
    const gate = held
    const rows = await query<Row>(sql, params)
    await gate
    return rows
  }
  const store = await SqlEventStore.open(driver, { channel: null, pollIntervalMs: 600_000 })
  t.teardown(() => store.close())
  return {
    store,
    pageReads: () => reads,
    hold: () => {
      held = new Promise((resolve) => (release = resolve))
    },
    release: () => {
      held = null
      release()
    },
  }
}

t.test('subscriptions at the head read each append once between them', async (t) => {
  const { store, pageReads } = await countingStore(t)
  const subscribers = range(1, 4).map(() => track(t, store, { fromPosition: 1 }))
  const appends = 30
  for (const n of range(1, appends)) {
    await store.appendToStream(`s-${n % 3}`, [newEvent()])
    for (const { until } of subscribers) await until(n)
  }
  for (const { events } of subscribers)
    t.same(positionsOf(events), range(1, appends), 'every event, in order')
  const reads = pageReads()
  t.ok(reads <= appends * 1.5 + 1, `${reads} page reads for ${appends} appends and 4 subscriptions`)
})

const stores: Record<string, (t: Test) => Promise<EventStore>> = {
  embedded: async (t) => (await countingStore(t)).store,
  postgres: async (t) => (await sharedSchema(t, 'es_shared_reads')).open({ pollIntervalMs: 600_000 }),
}

for (const [name, open] of Object.entries(stores)) {
  t.test(
    `${name}: appends racing the reads, every subscription reaches the head without a poll`,
    async (t) => {
      const store = await open(t)
      // Handlers of different speeds: subscriptions fall out of step, so one is often woken while
      // another's read of the same page, begun before the append, is still under way.
      const subscribers = range(1, 6).map((n) =>
        track(t, store, { fromPosition: 1 }, (event) =>
          (event.position + n) % n === 0 ? sleep(1) : undefined,
        ),
      )
      const writers = 4
      const each = 150
      await Promise.all(
        range(1, writers).map(async (writer) => {
          for (let n = 0; n < each; n++) await store.appendToStream(`w-${writer}`, [newEvent()])
        }),
      )
      const total = writers * each
      // A subscription handed a page older than its wake-up would sit idle until the next append or
      // the poll ten minutes away: the last append is the one it would never see.
      for (const { until } of subscribers)
        await within(until(total), 'every subscription at the head', 10_000)
      for (const { events } of subscribers)
        t.same(positionsOf(events), range(1, total), 'every event, in order')
    },
  )
}

t.test('a subscription woken by an append is not handed a read begun before it', async (t) => {
  const { store, pageReads, hold, release } = await countingStore(t)
  hold()
  const early = track(t, store, { fromPosition: 1 })
  await waitFor(() => pageReads() === 1, 'the first subscription to read the empty log')
  const position = (await store.appendToStream('s', [newEvent()])).position
  // Asks for the same page as the read under way, which ran before the append.
  const late = track(t, store, { fromPosition: 1 })
  await waitFor(() => pageReads() === 2, 'the second subscription to read a page of its own')
  release()
  for (const { until } of [early, late]) await within(until(1), 'both subscriptions to get the event', 10_000)
  t.same(positionsOf(late.events), [position])
  t.same(positionsOf(early.events), [position])
})
