import { isEventStoreError } from '../../src/index.ts'
import {
  collect,
  newEvents,
  openStore,
  range,
  rejectsWith,
  settle,
  track,
  unique,
  within,
} from './helpers.ts'
import type { StoreFactory, Test } from './helpers.ts'

const stoppedByClose = (outcome: { ok: boolean; error?: unknown }) =>
  outcome.ok || isEventStoreError(outcome.error, 'STORE_CLOSED')

export function closingFeatures(t: Test, factory: StoreFactory): void {
  t.test('closing the store', async (t) => {
    t.test('close stops active subscriptions and can be called twice', async (t) => {
      const store = await openStore(t, factory)
      const { subscription, until } = track(t, store, { fromPosition: 1 })
      const idle = track(t, store, { fromPosition: 1000 })
      await store.appendToStream(unique('task'), newEvents(2))
      await until(2)
      await within(Promise.all([store.close(), store.close()]), 'two concurrent closes')
      await within(store.close(), 'a third close')
      for (const [name, sub] of [
        ['a subscription that has delivered', subscription],
        ['a subscription still waiting', idle.subscription],
      ] as const) {
        const outcome = await within(settle(sub.done), `${name} to stop`)
        t.ok(stoppedByClose(outcome), `${name} stops: done resolves (or rejects with STORE_CLOSED)`)
      }
    })

    t.test('after close every method rejects with STORE_CLOSED', async (t) => {
      const store = await openStore(t, factory)
      const id = unique('task')
      await store.appendToStream(id, newEvents(1), { idempotency: { key: 'k', fingerprint: 'f' } })
      await store.close()
      await rejectsWith(t, store.appendToStream(id, newEvents(1)), 'STORE_CLOSED', 'appendToStream')
      await rejectsWith(t, () => collect(store.readStream(id)), 'STORE_CLOSED', 'readStream')
      await rejectsWith(t, () => collect(store.readAll()), 'STORE_CLOSED', 'readAll')
      await rejectsWith(t, store.streamState(id), 'STORE_CLOSED', 'streamState')
      await rejectsWith(t, store.idempotentResult('k'), 'STORE_CLOSED', 'idempotentResult')
      await rejectsWith(t, store.headPosition(), 'STORE_CLOSED', 'headPosition')
      await rejectsWith(
        t,
        async () => {
          const subscription = store.subscribeToAll({ fromPosition: 1 }, () => undefined)
          await within(subscription.done, 'done of a subscription made after close')
        },
        'STORE_CLOSED',
        'subscribeToAll (throws, or its done rejects)',
      )
    })

    t.test(
      'appends in flight when the store closes either complete or fail with a typed error',
      async (t) => {
        const store = await openStore(t, factory)
        const appends = range(1, 10).map(() => settle(store.appendToStream(unique('task'), newEvents(1))))
        await within(store.close(), 'close with appends in flight')
        const outcomes = await within(Promise.all(appends), 'the appends to settle')
        const untyped = outcomes.filter((o) => !o.ok && !isEventStoreError(o.error))
        t.same(untyped, [], 'no append failed with an untyped error')
        t.comment(`${outcomes.filter((o) => o.ok).length} of 10 completed before the close`)
      },
    )
  })
}
