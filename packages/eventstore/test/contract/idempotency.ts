import type { AppendOptions, EventStoreErrorCode, NewEvent } from '../../src/index.ts'
import {
  newEvent,
  newEvents,
  openStore,
  readStream,
  rejectsWith,
  settle,
  snapshot,
  unique,
} from './helpers.ts'
import type { StoreFactory, Test } from './helpers.ts'

export function idempotencyFeatures(t: Test, factory: StoreFactory): void {
  t.test('idempotent appends', async (t) => {
    const store = await openStore(t, factory)

    t.test('appending the same event ids again writes nothing and returns the original result', async (t) => {
      const id = unique('task')
      const events = newEvents(2)
      const first = await store.appendToStream(id, events)
      await store.appendToStream(unique('other'), newEvents(1))
      const before = await snapshot(store, id)
      t.same(await store.appendToStream(id, events), first)
      t.same(await store.appendToStream(id, structuredClone(events)), first, 'a copy is recognised as well')
      t.same(await snapshot(store, id), before)
      t.equal((await readStream(store, id)).length, 2)
    })

    const retries: [string, (current: number) => AppendOptions][] = [
      ['the now-stale expectedRevision it was first sent with', () => ({ expectedRevision: 'no_stream' })],
      ['another expectedRevision that does not hold', (current) => ({ expectedRevision: current + 5 })],
      ['stream_exists', () => ({ expectedRevision: 'stream_exists' })],
    ]
    for (const [name, options] of retries) {
      t.test(`a retry with ${name} returns the original result and writes nothing`, async (t) => {
        const id = unique('task')
        const events = newEvents(2)
        const first = await store.appendToStream(id, events, { expectedRevision: 'no_stream' })
        await store.appendToStream(id, newEvents(1), { expectedRevision: 2 })
        const before = await snapshot(store, id)
        t.same(await store.appendToStream(id, events, options(3)), first)
        t.same(await snapshot(store, id), before)
      })
    }

    t.test('a retry of an earlier append in the stream returns that append’s result', async (t) => {
      const id = unique('task')
      const early = [newEvent()]
      const first = await store.appendToStream(id, early)
      await store.appendToStream(id, newEvents(2))
      t.same(await store.appendToStream(id, early), first)
      t.equal((await store.streamState(id))?.revision, 3)
    })

    const conflicts: [string, (event: NewEvent) => NewEvent][] = [
      ['other data', (event) => ({ ...event, data: { changed: true } })],
      ['another type', (event) => ({ ...event, type: 'TaskCancelled' })],
    ]
    for (const [name, change] of conflicts) {
      t.test(
        `an event id appended again with ${name} throws DUPLICATE_EVENT_ID and writes nothing`,
        async (t) => {
          const id = unique('task')
          const event = newEvent('TaskPublished', { title: '展会知识产权保护' })
          await store.appendToStream(id, [event])
          const before = await snapshot(store, id)
          await rejectsWith(t, store.appendToStream(id, [change(event)]), 'DUPLICATE_EVENT_ID')
          await rejectsWith(t, store.appendToStream(id, [change(event), newEvent()]), 'DUPLICATE_EVENT_ID')
          t.same(await snapshot(store, id), before)
        },
      )
    }

    t.test('an event id already used in another stream throws DUPLICATE_EVENT_ID', async (t) => {
      const event = newEvent()
      await store.appendToStream(unique('task'), [event])
      const other = unique('task')
      const before = await snapshot(store, other)
      await rejectsWith(t, store.appendToStream(other, [event]), 'DUPLICATE_EVENT_ID')
      t.same(await snapshot(store, other), before)
    })

    t.test('the same event id twice in one batch is rejected and writes nothing', async (t) => {
      const id = unique('task')
      const event = newEvent()
      const before = await snapshot(store, id)
      const outcome = await settle(store.appendToStream(id, [event, event]))
      const code = outcome.ok ? 'none' : (outcome.error as { code?: EventStoreErrorCode }).code
      t.ok(code === 'INVALID_EVENT' || code === 'DUPLICATE_EVENT_ID', `fails as a bad event (got ${code})`)
      t.same(await snapshot(store, id), before)
    })

    t.test(
      'the same idempotency key and fingerprint return the first result and append nothing',
      async (t) => {
        const id = unique('task')
        const idempotency = { key: unique('command'), fingerprint: 'sha256:aaaa' }
        const first = await store.appendToStream(id, newEvents(2), { idempotency })
        await store.appendToStream(unique('other'), newEvents(1))
        const before = await snapshot(store, id)
        // A retried command makes new event ids; the key is what recognises it.
        t.same(await store.appendToStream(id, newEvents(2), { idempotency }), first)
        t.same(await store.appendToStream(id, newEvents(2), { idempotency, expectedRevision: 0 }), first)
        t.same(await snapshot(store, id), before)
        t.same(await store.idempotentResult(idempotency.key), {
          ...first,
          fingerprint: idempotency.fingerprint,
        })
      },
    )

    t.test('the same idempotency key with another fingerprint throws IDEMPOTENCY_KEY_REUSED', async (t) => {
      const id = unique('task')
      const key = unique('command')
      const first = await store.appendToStream(id, newEvents(1), { idempotency: { key, fingerprint: 'one' } })
      const before = await snapshot(store, id)
      const other = { key, fingerprint: 'two' }
      await rejectsWith(
        t,
        store.appendToStream(id, newEvents(1), { idempotency: other }),
        'IDEMPOTENCY_KEY_REUSED',
      )
      const elsewhere = unique('task')
      await rejectsWith(
        t,
        store.appendToStream(elsewhere, newEvents(1), { idempotency: other }),
        'IDEMPOTENCY_KEY_REUSED',
      )
      t.same(await snapshot(store, id), before)
      t.equal(await store.streamState(elsewhere), null)
      t.same(await store.idempotentResult(key), { ...first, fingerprint: 'one' })
    })

    t.test('idempotentResult is null for a key never used', async (t) => {
      t.equal(await store.idempotentResult(unique('never')), null)
    })

    t.test('a rejected append does not record its idempotency key', async (t) => {
      const id = unique('task')
      const idempotency = { key: unique('command'), fingerprint: 'f' }
      await rejectsWith(
        t,
        store.appendToStream(id, newEvents(1), { idempotency, expectedRevision: 'stream_exists' }),
        'WRONG_EXPECTED_REVISION',
      )
      t.equal(await store.idempotentResult(idempotency.key), null)
      const result = await store.appendToStream(id, newEvents(1), { idempotency })
      t.equal(result.revision, 1)
      t.same(await store.idempotentResult(idempotency.key), { ...result, fingerprint: 'f' })
    })

    t.test('an append of no events with a key records it against the stream as it stands', async (t) => {
      const id = unique('task')
      const written = await store.appendToStream(id, newEvents(2))
      await store.appendToStream(unique('other'), newEvents(1))
      const idempotency = { key: unique('command'), fingerprint: 'nothing to do' }
      const head = await store.headPosition()
      const before = await snapshot(store, id)
      const recorded = await store.appendToStream(id, [], { idempotency, expectedRevision: 2 })
      t.same(recorded, written, "the stream's revision and its last event's position")
      t.same(await snapshot(store, id), before, 'no event written')
      t.equal(await store.headPosition(), head, 'the head did not move')
      t.same(await store.idempotentResult(idempotency.key), { ...written, fingerprint: 'nothing to do' })

      // Its retries get that answer, events or not, even after the stream moved on.
      await store.appendToStream(id, newEvents(1))
      const after = await snapshot(store, id)
      t.same(await store.appendToStream(id, newEvents(1), { idempotency }), written)
      t.same(await store.appendToStream(id, [], { idempotency, expectedRevision: 0 }), written)
      t.same(await snapshot(store, id), after)
      await rejectsWith(
        t,
        store.appendToStream(id, newEvents(1), { idempotency: { ...idempotency, fingerprint: 'other' } }),
        'IDEMPOTENCY_KEY_REUSED',
      )
      t.same(await snapshot(store, id), after)
    })

    t.test('an append of no events checks the expected revision before recording its key', async (t) => {
      const id = unique('task')
      await store.appendToStream(id, newEvents(1))
      const idempotency = { key: unique('command'), fingerprint: 'f' }
      await rejectsWith(
        t,
        store.appendToStream(id, [], { idempotency, expectedRevision: 0 }),
        'WRONG_EXPECTED_REVISION',
      )
      t.equal(await store.idempotentResult(idempotency.key), null)
      const missing = unique('task')
      t.same(await store.appendToStream(missing, [], { idempotency, expectedRevision: 'no_stream' }), {
        streamId: missing,
        revision: 0,
        position: 0,
      })
      t.equal(await store.streamState(missing), null, 'no stream is made')
    })

    t.test('appends of no events with one key, at once, record it once', async (t) => {
      const id = unique('task')
      const written = await store.appendToStream(id, newEvents(1))
      const idempotency = { key: unique('command'), fingerprint: 'f' }
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => store.appendToStream(id, [], { idempotency, expectedRevision: 1 })),
      )
      for (const answer of answers) t.same(answer, written)
      t.same(await store.idempotentResult(idempotency.key), { ...written, fingerprint: 'f' })
    })
  })
}
