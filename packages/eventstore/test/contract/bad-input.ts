import type { AppendOptions, EventStoreErrorCode, NewEvent } from '../../src/index.ts'
import { checkDense } from './append.ts'
import { collect, newEvent, newEvents, openStore, rejectsWith, settle, snapshot, unique } from './helpers.ts'
import type { StoreFactory, Test } from './helpers.ts'

/** A value the types forbid, as a caller in plain JavaScript or a decoded request could send it. */
const bad = <T>(value: unknown) => value as T

const circular: Record<string, unknown> = { name: 'loop' }
circular.self = circular

const withData = (data: unknown) => newEvent('TaskPublished', bad(data))
const without = (field: keyof NewEvent) => {
  const { [field]: _, ...rest } = newEvent()
  return bad<NewEvent>(rest)
}

const badStreamIds: [string, unknown][] = [
  ['an empty stream id', ''],
  ['a stream id over 200 characters', 'x'.repeat(201)],
  ['a stream id over 200 Chinese characters', '局'.repeat(201)],
  ['a number as stream id', 42],
  ['null as stream id', null],
  ['undefined as stream id', undefined],
  ['a stream id with a NUL character', 'task-\u0000-1'],
]

const badEvents: [string, NewEvent[], EventStoreErrorCode][] = [
  ['an event without a type', [without('type')], 'INVALID_EVENT'],
  ['an event with an empty type', [newEvent('')], 'INVALID_EVENT'],
  ['an event with a number as type', [bad(newEvent(bad(7)))], 'INVALID_EVENT'],
  ['an event without an id', [without('id')], 'INVALID_EVENT'],
  ['an event whose id is not a UUID', [newEvent('TaskPublished', {}, { id: 'not-a-uuid' })], 'INVALID_EVENT'],
  ['an event whose id is a number', [newEvent('TaskPublished', {}, { id: bad(12) })], 'INVALID_EVENT'],
  ['an event without metadata', [without('metadata')], 'INVALID_EVENT'],
  ['an event without data', [without('data')], 'INVALID_EVENT'],
  ['data that is a function', [withData(() => 1)], 'INVALID_EVENT'],
  ['data holding a function deep inside', [withData({ plan: { check() {} } })], 'INVALID_EVENT'],
  ['data that is a BigInt', [withData(10n)], 'INVALID_EVENT'],
  ['data holding a BigInt', [withData({ count: 10n })], 'INVALID_EVENT'],
  ['a circular object as data', [withData(circular)], 'INVALID_EVENT'],
  ['NaN as data', [withData(NaN)], 'INVALID_EVENT'],
  ['data holding NaN', [withData({ value: NaN })], 'INVALID_EVENT'],
  ['data holding Infinity', [withData({ values: [1, Infinity] })], 'INVALID_EVENT'],
  ['data holding -Infinity', [withData({ value: -Infinity })], 'INVALID_EVENT'],
  ['a schemaVersion of 0', [newEvent('TaskPublished', {}, { schemaVersion: 0 })], 'INVALID_EVENT'],
  ['a fractional schemaVersion', [newEvent('TaskPublished', {}, { schemaVersion: 1.5 })], 'INVALID_EVENT'],
  ['a string schemaVersion', [newEvent('TaskPublished', {}, { schemaVersion: bad('2') })], 'INVALID_EVENT'],
  ['a valid event followed by a bad one', [newEvent(), withData(() => 1)], 'INVALID_EVENT'],
  ['an event whose JSON is over 1 MiB', [withData({ blob: 'x'.repeat(1_100_000) })], 'EVENT_TOO_LARGE'],
  ['an event over 1 MiB in UTF-8 bytes', [withData({ text: '知'.repeat(400_000) })], 'EVENT_TOO_LARGE'],
  [
    'a valid event followed by one over 1 MiB',
    [newEvent(), withData('x'.repeat(1_100_000))],
    'EVENT_TOO_LARGE',
  ],
  ['an empty batch without an idempotency key', [], 'EMPTY_APPEND'],
]

const badOptions: [string, AppendOptions][] = [
  ['expectedRevision -1', { expectedRevision: -1 }],
  ['expectedRevision 1.5', { expectedRevision: 1.5 }],
  ['expectedRevision NaN', { expectedRevision: NaN }],
  ["expectedRevision 'sometimes'", { expectedRevision: bad('sometimes') }],
  ['an idempotency key that is empty', { idempotency: { key: '', fingerprint: 'f' } }],
  ['an idempotency key without a fingerprint', { idempotency: bad({ key: 'k' }) }],
]

export function badInputFeatures(t: Test, factory: StoreFactory): void {
  t.test('bad input is rejected with a typed error and writes nothing', async (t) => {
    const store = await openStore(t, factory)
    await store.appendToStream(unique('existing'), newEvents(2))

    for (const [name, streamId] of badStreamIds) {
      t.test(`${name} is rejected as INVALID_STREAM_ID`, async (t) => {
        const head = await store.headPosition()
        await rejectsWith(t, store.appendToStream(bad(streamId), newEvents(1)), 'INVALID_STREAM_ID')
        t.equal(await store.headPosition(), head)
      })
    }

    t.test('a stream id of exactly 200 characters is accepted', async (t) => {
      for (const char of ['x', '局']) {
        const id = char.repeat(200)
        t.equal((await store.appendToStream(id, newEvents(1))).revision, 1)
      }
    })

    for (const [name, events, code] of badEvents) {
      t.test(`${name} is rejected as ${code}`, async (t) => {
        const id = unique('task')
        const before = await snapshot(store, id)
        await rejectsWith(t, store.appendToStream(id, events), code)
        t.same(await snapshot(store, id), before, 'nothing was written')
      })
    }

    t.test('an event just under 1 MiB is accepted', async (t) => {
      const blob = 'x'.repeat(1_000_000)
      const id = unique('task')
      await store.appendToStream(id, [withData({ blob })])
      t.equal(((await collect(store.readStream(id)))[0]?.data as { blob?: string }).blob?.length, blob.length)
    })

    t.test('events that are not an array are rejected as a bad append', async (t) => {
      for (const events of [null, undefined, newEvent(), 'events']) {
        const id = unique('task')
        const outcome = await settle(store.appendToStream(id, bad(events)))
        const code = outcome.ok ? 'none' : (outcome.error as { code?: string }).code
        t.ok(
          code === 'INVALID_EVENT' || code === 'EMPTY_APPEND',
          `${typeof events}: typed rejection (got ${code})`,
        )
        t.equal(await store.streamState(id), null)
      }
    })

    for (const [name, options] of badOptions) {
      t.test(`${name} is rejected as INVALID_OPTION`, async (t) => {
        const id = unique('task')
        const before = await snapshot(store, id)
        await rejectsWith(t, store.appendToStream(id, newEvents(1), options), 'INVALID_OPTION')
        t.same(await snapshot(store, id), before, 'nothing was written')
      })
    }

    t.test('bad read options are rejected as INVALID_OPTION', async (t) => {
      const reads = {
        'direction sideways': () => collect(store.readStream('x', bad({ direction: 'sideways' }))),
        'negative maxCount': () => collect(store.readStream('x', { maxCount: -1 })),
        'negative fromRevision': () => collect(store.readStream('x', { fromRevision: -3 })),
        'negative fromPosition': () => collect(store.readAll({ fromPosition: -5 })),
        'fractional fromPosition': () => collect(store.readAll({ fromPosition: 1.5 })),
        'a string maxCount': () => collect(store.readAll(bad({ maxCount: 'ten' }))),
      }
      for (const [name, read] of Object.entries(reads)) await rejectsWith(t, read, 'INVALID_OPTION', name)
    })

    t.test('after all the rejections the store still appends, with no gap in positions', async (t) => {
      const head = await store.headPosition()
      const result = await store.appendToStream(unique('after'), newEvents(1))
      t.equal(result.position, head + 1)
      await checkDense(t, store)
    })
  })
}
