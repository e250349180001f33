import type { EventStore, JsonValue } from '@coord/eventstore'
import t from 'tap'
import { asStored } from '../src/index.ts'
import { delegate, events, setup, store } from './counter-app.ts'

t.test(
  'a stream folded earlier is read on from where it was, with what others wrote meanwhile',
  async (t) => {
    const reads: (number | undefined)[] = []
    const { increment } = await setup(t, (inner) => ({
      ...delegate(inner),
      readStream: (streamId, options) => {
        reads.push(options?.fromRevision)
        return inner.readStream(streamId, options)
      },
    }))
    t.equal((await increment('kept', { by: 2 })).json().revision, 1)
    t.equal((await increment('kept', { by: 3 })).json().revision, 2)
    // Another process writes to the stream: the next command must decide on it, not on its own past.
    await store.appendToStream('counter-kept', [
      {
        id: crypto.randomUUID(),
        type: 'Incremented',
        data: { by: 10, total: 15 },
        metadata: {
          actor: { role: 'planner', user: 'elsewhere' },
          correlationId: crypto.randomUUID(),
          causationId: null,
          occurredAt: new Date().toISOString(),
        },
      },
    ])
    const after = await increment('kept', { by: 1 }, { 'if-match': '"3"' })
    t.equal(after.statusCode, 200, 'the revision written elsewhere is known')
    t.same(
      (await events(store, 'counter-kept')).map((e) => (e.data as { total: number }).total),
      [2, 5, 15, 16],
      'decided on the total including the other writer’s event, each event folded once',
    )
    // Its own appends are folded in as it decided them, so its second command reads nothing; the
    // third names revision 3 where its kept state is at 2, so it reads on from 3.
    t.same(reads, [1, 3], 'read only when the kept state may be behind, from where it stands')
  },
)

/** The counter's stream with another process's event appended: `total` as it sets it. */
async function otherWriter(store: EventStore, id: string, total: number) {
  await store.appendToStream(`counter-${id}`, [
    {
      id: crypto.randomUUID(),
      type: 'Incremented',
      data: { by: 0, total },
      metadata: {
        actor: { role: 'planner', user: 'elsewhere' },
        correlationId: crypto.randomUUID(),
        causationId: null,
        occurredAt: new Date().toISOString(),
      },
    },
  ])
}

/** The `fromRevision` of every read of a stream through the app's store. */
function countingReads(reads: (number | undefined)[]) {
  return (inner: EventStore): EventStore => ({
    ...delegate(inner),
    readStream: (streamId, options) => {
      reads.push(options?.fromRevision)
      return inner.readStream(streamId, options)
    },
  })
}

t.test(
  'decided on the kept state, a command another writer got ahead of is decided again on the stream',
  async (t) => {
    const reads: (number | undefined)[] = []
    const { store, increment } = await setup(t, countingReads(reads))
    t.equal((await increment('ahead', { by: 2 })).statusCode, 200)
    await otherWriter(store, 'ahead', 15)
    const res = await increment('ahead', { by: 1 })
    t.equal(res.statusCode, 200, res.body)
    t.equal(res.json().revision, 3)
    t.same(
      (await events(store, 'counter-ahead')).map((e) => (e.data as { total: number }).total),
      [2, 15, 16],
      'the append on the kept state was refused; decided again on the other writer’s total',
    )
    t.same(reads, [1, 2], 'the stream read on from the kept revision once the append was refused')
  },
)

t.test('a refusal on the kept state is checked on the stream as it is before it is answered', async (t) => {
  const reads: (number | undefined)[] = []
  const { store, increment } = await setup(t, countingReads(reads))
  t.equal((await increment('full', { by: 999 })).statusCode, 200)
  await otherWriter(store, 'full', 0)
  const res = await increment('full', { by: 5 })
  t.equal(res.statusCode, 200, 'the kept 999 would refuse 5; the stream, reset to 0 elsewhere, accepts it')
  t.same(
    (await events(store, 'counter-full')).map((e) => (e.data as { total: number }).total),
    [999, 0, 5],
  )
  const refused = await increment('full', { by: 996 })
  t.equal(refused.statusCode, 422, 'refused on the stream as it is too: the refusal stands')
  t.match(refused.json(), { error: 'COUNTER_FULL' })
  t.same(reads, [1, 2, 4], 'a refusal on the kept state reads on before it is answered')
})

t.test('nothing to do on the kept state answers the revision the stream is at', async (t) => {
  const { store, increment } = await setup(t)
  t.equal((await increment('idle', { by: 1 })).statusCode, 200)
  await otherWriter(store, 'idle', 7)
  const res = await increment('idle', { by: 0 })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { revision: 2, events: [] }, 'the other writer’s revision, nothing appended')
})

t.test('an event’s data folded as decided equals the data the store gives back', async (t) => {
  const data = {
    zeta: 1,
    a: { nested: [{ bb: 1, a: 2, ccc: null }], é: 'two bytes', ab: 'two chars' },
    mm: -0,
    list: [3, 'x', { y: true, x: false }],
    日期: '2019-03-01',
    gone: undefined,
    long_key_name: 0.1 + 0.2,
  } as unknown as JsonValue
  await store.appendToStream('stored-shape', [
    {
      id: crypto.randomUUID(),
      type: 'Shaped',
      data,
      metadata: {
        actor: { role: 'planner', user: 'li.wei' },
        correlationId: 'c',
        causationId: null,
        occurredAt: '2019-03-01T01:00:00.000Z',
      },
    },
  ])
  const [stored] = await events(store, 'stored-shape')
  t.equal(JSON.stringify(asStored(data)), JSON.stringify(stored?.data), 'same values, same key order')
  t.ok(Object.is((asStored(data) as { mm: number }).mm, 0), 'minus zero is stored as zero')
})
