import type { EventMetadata, JsonValue, NewEvent } from '../../src/index.ts'
import { uuidv7 } from '../../src/index.ts'
import { metadataFor, newEvent, openStore, readAll, readStream, settle, snapshot, unique } from './helpers.ts'
import type { StoreFactory, Test } from './helpers.ts'

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

export function envelopeFeatures(t: Test, factory: StoreFactory): void {
  t.test('the event envelope', async (t) => {
    const store = await openStore(t, factory)

    t.test('an event reads back with every field of the envelope as written', async (t) => {
      const id = unique('meeting')
      const event = newEvent('ResolutionAdopted', { text: '议定事项', items: [1, 2] })
      const { position } = await store.appendToStream(id, [event])
      const [read] = await readStream(store, id)
      const { recordedAt, ...metadata } = read?.metadata ?? { recordedAt: '' }
      t.same({ ...read, metadata }, { ...event, streamId: id, revision: 1, position, schemaVersion: 1 })
      t.equal(read?.id, event.id, 'the writer’s UUIDv7 is kept')
      t.match(recordedAt, ISO_INSTANT, 'recordedAt is an ISO instant in UTC')
      t.equal(new Date(recordedAt).toISOString(), recordedAt)
    })

    t.test('schemaVersion defaults to 1 and keeps an explicit value', async (t) => {
      const id = unique('task')
      await store.appendToStream(id, [newEvent(), newEvent('TaskAssigned', {}, { schemaVersion: 3 })])
      t.same(
        (await readStream(store, id)).map((e) => e.schemaVersion),
        [1, 3],
      )
    })

    t.test('metadata round-trips, Chinese text, a missing bureau and extra fields included', async (t) => {
      const id = unique('bureau')
      const metadata: EventMetadata[] = [
        metadataFor({ actor: { role: 'planner', bureauId: '浦东新区知识产权局', user: '李四' } }),
        metadataFor({ actor: { role: 'supervisor', user: 'wang.wu' }, causationId: uuidv7() }),
        metadataFor({ idempotencyKey: 'cmd-1', source: { via: 'http', tags: ['a', '督办'] }, retry: 2 }),
      ]
      await store.appendToStream(
        id,
        metadata.map((m) => newEvent('BureauRegistered', {}, { metadata: m })),
      )
      const read = (await readStream(store, id)).map(({ metadata: { recordedAt: _, ...rest } }) => rest)
      t.same(read, metadata)
    })

    const payloads: [string, JsonValue][] = [
      ['nested objects and arrays', { a: { b: [1, { c: null }], d: [] }, e: {} }],
      [
        'numbers, booleans and null',
        { zero: 0, negative: -1.5, big: 1e21, small: 5e-324, yes: true, no: false, nil: null },
      ],
      ['Chinese text and emoji', { title: '上海市浦东新区人民政府', unit: '件', note: '知识产权 👍' }],
      ['a string', '每万人口发明专利拥有量'],
      ['an array', [48, 255, 18000]],
      ['a number', 42],
      ['null', null],
    ]
    for (const [name, data] of payloads) {
      t.test(`data round-trips exactly: ${name}`, async (t) => {
        const id = unique('target')
        await store.appendToStream(id, [newEvent('TargetDefined', data)])
        t.same((await readStream(store, id))[0]?.data, data)
      })
    }

    const awkward: [string, JsonValue][] = [
      ['a NUL character', { text: 'before\u0000after' }],
      ['a lone surrogate', { text: 'half \ud800 a pair' }],
    ]
    for (const [name, data] of awkward) {
      t.test(`data with ${name} either round-trips or is rejected as INVALID_EVENT`, async (t) => {
        const id = unique('task')
        const outcome = await settle(store.appendToStream(id, [newEvent('TaskPublished', data)]))
        if (outcome.ok) t.same((await readStream(store, id))[0]?.data, data, 'stored exactly')
        else {
          t.match(outcome.error, { name: 'EventStoreError', code: 'INVALID_EVENT' }, 'a typed rejection')
          t.equal(await store.streamState(id), null)
        }
      })
    }

    t.test('stream ids with Chinese characters, dots and brackets work', async (t) => {
      const id = `task-三.(二).7-${unique('展会')}`
      await store.appendToStream(id, [newEvent()])
      t.equal((await store.streamState(id))?.revision, 1)
      t.same((await readAll(store, { filter: { streamPrefix: id } })).length, 1)
    })

    t.test('the store, not the writer, sets recordedAt', async (t) => {
      const id = unique('task')
      const forged: NewEvent = newEvent(
        'TaskClosed',
        {},
        { metadata: { ...metadataFor(), recordedAt: '1999-01-01T00:00:00.000Z' } },
      )
      const before = await snapshot(store, id)
      const outcome = await settle(store.appendToStream(id, [forged]))
      if (outcome.ok) t.not((await readStream(store, id))[0]?.metadata.recordedAt, '1999-01-01T00:00:00.000Z')
      else {
        t.match(outcome.error, { name: 'EventStoreError', code: 'INVALID_EVENT' }, 'or rejects the event')
        t.same(await snapshot(store, id), before)
      }
    })

    t.test('readStream and readAll return the same envelope for an event', async (t) => {
      const id = unique('task')
      const { position } = await store.appendToStream(id, [newEvent('TaskAssigned', { lead: '科经委' })])
      t.same(await readAll(store, { fromPosition: position, maxCount: 1 }), await readStream(store, id))
    })
  })
}
