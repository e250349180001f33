import type { RecordedEvent } from '../../src/index.ts'
import {
  newEvent,
  newEvents,
  openStore,
  positionsOf,
  range,
  readAll,
  settle,
  sleep,
  track,
  unique,
  within,
} from './helpers.ts'
import type { StoreFactory, Test } from './helpers.ts'

export function subscribeFeatures(t: Test, factory: StoreFactory): void {
  t.test('subscribing to all events', async (t) => {
    const store = await openStore(t, factory)

    t.test('a subscription on an empty store receives the first append', async (t) => {
      const { subscription, events, until } = track(t, store, { fromPosition: 1 })
      t.equal(subscription.position, 0, 'position is 0 before the first delivery')
      await store.appendToStream(unique('task'), newEvents(2))
      await until(2)
      t.same(positionsOf(events), [1, 2])
      t.equal(subscription.position, 2)
    })

    t.test('it catches up from a given position, then receives live appends', async (t) => {
      const id = unique('task')
      const head = await store.headPosition()
      await store.appendToStream(id, newEvents(5))
      const { subscription, events, until } = track(t, store, { fromPosition: head + 3 })
      await until(3, 'the catch-up')
      t.same(positionsOf(events), range(head + 3, head + 5), 'fromPosition is inclusive')
      await store.appendToStream(id, newEvents(2))
      await until(5, 'the live events')
      t.same(positionsOf(events), range(head + 3, head + 7))
      t.equal(subscription.position, head + 7, 'position is the last delivered')
      t.same(events, await readAll(store, { fromPosition: head + 3 }), 'the same envelopes readAll returns')
    })

    t.test('catch-up over many pages delivers every event once, in order', async (t) => {
      const head = await store.headPosition()
      await store.appendToStream(unique('bulk'), newEvents(50))
      await store.appendToStream(unique('bulk'), newEvents(30))
      const { events, until } = track(t, store, { fromPosition: head + 1 })
      await until(80)
      await store.appendToStream(unique('bulk'), newEvents(20))
      await until(100)
      t.same(positionsOf(events), range(head + 1, head + 100))
    })

    t.test('a position beyond the head waits for it and starts there', async (t) => {
      const head = await store.headPosition()
      const { events, until } = track(t, store, { fromPosition: head + 3 })
      await store.appendToStream(unique('task'), newEvents(1))
      await store.appendToStream(unique('task'), newEvents(4))
      await until(3)
      t.same(positionsOf(events), range(head + 3, head + 5))
    })

    t.test('a filter delivers only matching events, caught up and live', async (t) => {
      const p = unique('bureau')
      const head = await store.headPosition()
      await store.appendToStream(`${p}-a`, [newEvent('DutyAdded'), newEvent('DutyRevoked')])
      await store.appendToStream(unique('elsewhere'), [newEvent('DutyAdded')])
      const { subscription, events, until } = track(t, store, {
        fromPosition: head + 1,
        filter: { streamPrefix: p, typePrefix: 'DutyA' },
      })
      await until(1)
      await store.appendToStream(unique('elsewhere'), [newEvent('DutyAdded')])
      await store.appendToStream(`${p}-b`, [newEvent('DutyRevoked'), newEvent('DutyAmended')])
      await until(2)
      t.same(
        events.map((e) => [e.streamId, e.type]),
        [
          [`${p}-a`, 'DutyAdded'],
          [`${p}-b`, 'DutyAmended'],
        ],
      )
      t.ok(subscription.position >= (events[1]?.position ?? Infinity), 'position covers the last delivered')
    })

    t.test('the handler sees one event at a time: the next waits for the previous to finish', async (t) => {
      let running = 0
      let most = 0
      const head = await store.headPosition()
      const { events, until } = track(t, store, { fromPosition: head + 1 }, async () => {
        most = Math.max(most, ++running)
        await sleep(2)
        running--
      })
      await store.appendToStream(unique('task'), newEvents(10))
      await until(10)
      t.equal(most, 1)
      t.same(positionsOf(events), range(head + 1, head + 10))
    })

    t.test('stop() resolves done and nothing is delivered afterwards', async (t) => {
      const head = await store.headPosition()
      const { subscription, events, until } = track(t, store, { fromPosition: head + 1 })
      await store.appendToStream(unique('task'), newEvents(1))
      await until(1)
      await subscription.stop()
      await within(subscription.done, 'done')
      await store.appendToStream(unique('task'), newEvents(1))
      // A second subscription receiving the later event shows it was there to be delivered.
      await track(t, store, { fromPosition: head + 2 }).until(1)
      t.same(positionsOf(events), [head + 1])
      await subscription.stop()
      t.pass('stopping twice is fine')
    })

    for (const how of ['throws', 'rejects'] as const) {
      t.test(`a handler that ${how} stops the subscription without skipping anything`, async (t) => {
        const head = await store.headPosition()
        const failure = new Error(`handler ${how}`)
        const handled: number[] = []
        const reported: [unknown, RecordedEvent][] = []
        const subscription = store.subscribeToAll(
          { fromPosition: head + 1, onError: (error, event) => reported.push([error, event]) },
          how === 'throws'
            ? (event) => {
                handled.push(event.position)
                if (event.position === head + 3) throw failure
              }
            : async (event) => {
                handled.push(event.position)
                await sleep(1)
                if (event.position === head + 3) throw failure
              },
        )
        t.teardown(() =>
          within(
            subscription.stop().catch(() => undefined),
            'subscription.stop() to resolve',
          ),
        )
        await store.appendToStream(unique('task'), newEvents(5))
        const outcome = await within(settle(subscription.done), 'done to settle')
        t.equal(outcome.ok ? 'resolved' : outcome.error, failure, 'done rejects with the handler’s error')
        t.equal(reported.length, 1, 'onError is called once')
        t.equal(reported[0]?.[0], failure)
        t.equal(reported[0]?.[1].position, head + 3, 'with the event that failed')
        t.equal(subscription.position, head + 2, 'position stays at the last event handled successfully')
        await store.appendToStream(unique('task'), newEvents(1))
        await track(t, store, { fromPosition: head + 6 }).until(1, 'a later event to be deliverable')
        t.same(handled, range(head + 1, head + 3), 'no event after the failed one reached the handler')
      })
    }
  })
}
