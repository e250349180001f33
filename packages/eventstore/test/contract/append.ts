import { WrongExpectedRevision } from '../../src/index.ts'
import type { EventStore, ExpectedRevision } from '../../src/index.ts'
import {
  newEvents,
  openStore,
  positionsOf,
  range,
  readAll,
  readStream,
  rejectsWith,
  revisionsOf,
  snapshot,
  unique,
} from './helpers.ts'
import type { StoreFactory, Test } from './helpers.ts'

export function appendFeatures(t: Test, factory: StoreFactory): void {
  t.test('appending and optimistic concurrency', async (t) => {
    const store = await openStore(t, factory)

    t.test('a fresh store is empty: head position 0, no events, no stream', async (t) => {
      t.equal(await store.headPosition(), 0)
      t.same(await readAll(store), [])
      t.equal(await store.streamState('nothing-here'), null)
    })

    t.test('the first append creates the stream at revision 1 and positions start at 1', async (t) => {
      const result = await store.appendToStream('task-first', newEvents(3))
      t.same(result, { streamId: 'task-first', revision: 3, position: 3 })
      const events = await readStream(store, 'task-first')
      t.same(revisionsOf(events), [1, 2, 3])
      t.same(positionsOf(events), [1, 2, 3])
      t.equal(await store.headPosition(), 3)
    })

    t.test('append returns the new revision and the global position of its last event', async (t) => {
      const head = await store.headPosition()
      const a = unique('task')
      const b = unique('task')
      t.same(await store.appendToStream(a, newEvents(2)), { streamId: a, revision: 2, position: head + 2 })
      t.same(await store.appendToStream(b, newEvents(1)), { streamId: b, revision: 1, position: head + 3 })
      t.same(await store.appendToStream(a, newEvents(3)), { streamId: a, revision: 5, position: head + 6 })
      t.same(positionsOf(await readStream(store, a)), [head + 1, head + 2, head + 4, head + 5, head + 6])
      t.same(await store.streamState(a), { streamId: a, revision: 5, position: head + 6 })
      t.same(await store.streamState(b), { streamId: b, revision: 1, position: head + 3 })
      t.equal(await store.headPosition(), head + 6)
    })

    t.test('without options an append expects any revision', async (t) => {
      const id = unique('task')
      t.equal((await store.appendToStream(id, newEvents(1))).revision, 1)
      t.equal((await store.appendToStream(id, newEvents(1))).revision, 2)
    })

    const matching: [string, ExpectedRevision | ((revision: number) => ExpectedRevision), boolean][] = [
      ['any on a missing stream', 'any', false],
      ['any on an existing stream', 'any', true],
      ['no_stream on a missing stream', 'no_stream', false],
      ['revision 0 on a missing stream (0 means no stream)', 0, false],
      ['stream_exists on an existing stream', 'stream_exists', true],
      ['the exact current revision', (revision) => revision, true],
    ]
    for (const [name, expected, exists] of matching) {
      t.test(`expectedRevision ${name} is accepted`, async (t) => {
        const id = unique('task')
        if (exists) await store.appendToStream(id, newEvents(2))
        const before = exists ? 2 : 0
        const expectedRevision = typeof expected === 'function' ? expected(before) : expected
        const head = await store.headPosition()
        const result = await store.appendToStream(id, newEvents(1), { expectedRevision })
        t.same(result, { streamId: id, revision: before + 1, position: head + 1 })
      })
    }

    const mismatching: [string, ExpectedRevision | ((revision: number) => ExpectedRevision), boolean][] = [
      ['no_stream on an existing stream', 'no_stream', true],
      ['revision 0 on an existing stream', 0, true],
      ['stream_exists on a missing stream', 'stream_exists', false],
      ['an exact revision on a missing stream', 1, false],
      ['an exact revision lower than the current one', (revision) => revision - 1, true],
      ['an exact revision higher than the current one', (revision) => revision + 1, true],
    ]
    for (const [name, expected, exists] of mismatching) {
      t.test(`expectedRevision ${name} throws WrongExpectedRevision and writes nothing`, async (t) => {
        const id = unique('task')
        if (exists) await store.appendToStream(id, newEvents(2))
        const actual = exists ? 2 : 0
        const expectedRevision = typeof expected === 'function' ? expected(actual) : expected
        const before = await snapshot(store, id)
        const error = await rejectsWith(
          t,
          store.appendToStream(id, newEvents(2), { expectedRevision }),
          'WRONG_EXPECTED_REVISION',
        )
        t.ok(error instanceof WrongExpectedRevision, 'the error is a WrongExpectedRevision')
        if (error instanceof WrongExpectedRevision) {
          t.equal(error.streamId, id)
          t.equal(error.expected, expectedRevision)
          t.equal(error.actual, actual)
        }
        t.same(await snapshot(store, id), before, 'stream and head position are unchanged')
        t.equal((await readStream(store, id)).length, actual)
      })
    }

    t.test('a rejected append leaves no gap: the next append takes the next position', async (t) => {
      const id = unique('task')
      await store.appendToStream(id, newEvents(1))
      const head = await store.headPosition()
      await rejectsWith(
        t,
        store.appendToStream(id, newEvents(3), { expectedRevision: 7 }),
        'WRONG_EXPECTED_REVISION',
      )
      const result = await store.appendToStream(id, newEvents(1), { expectedRevision: 1 })
      t.same(result, { streamId: id, revision: 2, position: head + 1 })
    })

    t.test('global positions are dense and every event is in exactly one place', async (t) => {
      await checkDense(t, store)
    })

    t.test('recordedAt never decreases with position', async (t) => {
      const all = await readAll(store)
      t.ok(all.length > 10)
      const times = all.map((e) => Date.parse(e.metadata.recordedAt))
      const outOfOrder = times.filter((time, i) => i > 0 && time < (times[i - 1] ?? 0))
      t.same(outOfOrder, [], 'no event was recorded before the one at the previous position')
    })
  })
}

/** readAll returns positions 1..head with no gap, and each stream's revisions are 1..n. */
export async function checkDense(t: Test, store: EventStore): Promise<void> {
  const head = await store.headPosition()
  const all = await readAll(store)
  t.same(positionsOf(all), range(1, head), 'positions are 1..head')
  const byStream = new Map<string, number[]>()
  for (const event of all)
    byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event.revision])
  const wrong: string[] = []
  for (const [streamId, revisions] of byStream) {
    const dense = revisions.every((revision, i) => revision === i + 1)
    if (!dense || (await store.streamState(streamId))?.revision !== revisions.length) wrong.push(streamId)
  }
  t.same(wrong, [], 'every stream has revisions 1..n in position order, matching its streamState')
}
