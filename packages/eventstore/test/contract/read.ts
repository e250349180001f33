import type { RecordedEvent } from '../../src/index.ts'
import {
  newEvent,
  newEvents,
  openStore,
  positionsOf,
  range,
  readAll,
  readStream,
  revisionsOf,
  unique,
} from './helpers.ts'
import type { StoreFactory, Test } from './helpers.ts'

const ns = (events: RecordedEvent[]) => events.map((e) => (e.data as { n: number }).n)

export function readFeatures(t: Test, factory: StoreFactory): void {
  t.test('reading a stream', async (t) => {
    const store = await openStore(t, factory)
    const id = unique('task')
    const other = unique('task')
    // Interleaved with another stream, so stream order and global order differ.
    for (let n = 0; n < 10; n++) {
      await store.appendToStream(id, [newEvent('ProgressReported', { n })])
      await store.appendToStream(other, [newEvent('ProgressReported', { n: 100 + n })])
    }

    t.test('forwards from the start gives every event of the stream in revision order', async (t) => {
      const events = await readStream(store, id)
      t.same(revisionsOf(events), range(1, 10))
      t.same(ns(events), range(0, 9))
      t.ok(events.every((e) => e.streamId === id))
    })

    t.test('fromRevision is inclusive', async (t) => {
      t.same(revisionsOf(await readStream(store, id, { fromRevision: 4 })), range(4, 10))
      t.same(revisionsOf(await readStream(store, id, { fromRevision: 10 })), [10])
    })

    t.test('backwards starts at the last revision, or at fromRevision inclusive', async (t) => {
      t.same(revisionsOf(await readStream(store, id, { direction: 'backwards' })), range(1, 10).reverse())
      t.same(
        revisionsOf(await readStream(store, id, { direction: 'backwards', fromRevision: 4 })),
        [4, 3, 2, 1],
      )
    })

    t.test('maxCount limits the events read in either direction', async (t) => {
      t.same(revisionsOf(await readStream(store, id, { maxCount: 3 })), [1, 2, 3])
      t.same(revisionsOf(await readStream(store, id, { fromRevision: 4, maxCount: 3 })), [4, 5, 6])
      t.same(revisionsOf(await readStream(store, id, { direction: 'backwards', maxCount: 2 })), [10, 9])
      t.same(revisionsOf(await readStream(store, id, { maxCount: 50 })), range(1, 10))
    })

    t.test('reading past the end or an unknown stream yields nothing', async (t) => {
      t.same(await readStream(store, id, { fromRevision: 11 }), [])
      t.same(await readStream(store, unique('unknown')), [])
      t.same(await readStream(store, unique('unknown'), { direction: 'backwards' }), [])
    })

    t.test('a stream longer than a page is read whole, in order, both ways', async (t) => {
      const long = unique('long')
      await store.appendToStream(long, newEvents(30))
      await store.appendToStream(long, newEvents(20))
      t.same(revisionsOf(await readStream(store, long)), range(1, 50))
      t.same(revisionsOf(await readStream(store, long, { direction: 'backwards' })), range(1, 50).reverse())
      t.same(revisionsOf(await readStream(store, long, { fromRevision: 13, maxCount: 20 })), range(13, 32))
    })
  })

  t.test('reading all events', async (t) => {
    const store = await openStore(t, factory)
    const p = unique('p')
    await store.appendToStream(`${p}-plan-1`, [
      newEvent('PlanImported', { n: 1 }),
      newEvent('GoalDefined', { n: 2 }),
    ])
    await store.appendToStream(`${p}-task-1`, [newEvent('TaskPublished', { n: 3 })])
    await store.appendToStream(`${p}-task-2`, [
      newEvent('TaskPublished', { n: 4 }),
      newEvent('TaskAssigned', { n: 5 }),
    ])
    await store.appendToStream(`${p}-plan-1`, [newEvent('PlanIssued', { n: 6 })])

    t.test('from the start gives every event in position order', async (t) => {
      const all = await readAll(store)
      t.same(positionsOf(all), range(1, 6))
      t.same(ns(all), range(1, 6))
    })

    t.test('fromPosition is inclusive and maxCount limits the events read', async (t) => {
      t.same(positionsOf(await readAll(store, { fromPosition: 4 })), [4, 5, 6])
      t.same(positionsOf(await readAll(store, { fromPosition: 2, maxCount: 3 })), [2, 3, 4])
      t.same(await readAll(store, { fromPosition: 7 }), [])
    })

    t.test('a type prefix filter keeps only events whose type starts with it', async (t) => {
      t.same(ns(await readAll(store, { filter: { typePrefix: 'Task' } })), [3, 4, 5])
      t.same(ns(await readAll(store, { filter: { typePrefix: 'TaskPublished' } })), [3, 4])
      t.same(ns(await readAll(store, { filter: { typePrefix: 'Plan' }, fromPosition: 2 })), [6])
      t.same(await readAll(store, { filter: { typePrefix: 'task' } }), [], 'the prefix is case-sensitive')
    })

    t.test('a stream prefix filter keeps only events of streams whose id starts with it', async (t) => {
      t.same(ns(await readAll(store, { filter: { streamPrefix: `${p}-task-` } })), [3, 4, 5])
      t.same(ns(await readAll(store, { filter: { streamPrefix: `${p}-plan-1` } })), [1, 2, 6])
      t.same(ns(await readAll(store, { filter: { streamPrefix: `${p}-task-`, typePrefix: 'TaskA' } })), [5])
      t.same(
        ns(await readAll(store, { filter: { streamPrefix: `${p}-`, typePrefix: 'Task' }, maxCount: 2 })),
        [3, 4],
      )
    })

    t.test('%, _ and \\ in a prefix match themselves, not as wildcards', async (t) => {
      const q = unique('lit')
      const streams = [`${q}_a`, `${q}xa`, `${q}%b`, `${q}yyb`, `${q}\\c`, `${q}\\\\c`]
      for (const [n, streamId] of streams.entries()) {
        await store.appendToStream(streamId, [newEvent(n % 2 ? 'Odd_Type' : 'OddXType', { n })])
      }
      const byStream = async (streamPrefix: string) => ns(await readAll(store, { filter: { streamPrefix } }))
      t.same(await byStream(`${q}_`), [0])
      t.same(await byStream(`${q}%`), [2])
      t.same(await byStream(`${q}\\`), [4, 5])
      t.same(await byStream(`${q}\\\\`), [5])
      const byType = await readAll(store, { filter: { typePrefix: 'Odd_' }, fromPosition: 7 })
      t.same(ns(byType), [1, 3, 5])
    })
  })

  t.test('reading in pages', async (t) => {
    const store = await openStore(t, factory)

    t.test('more events than a page are all returned in order, also when a filter drops most', async (t) => {
      const mixed = Array.from({ length: 60 }, (_, n) => newEvent(n % 3 ? 'Noise' : 'Signal', { n }))
      await store.appendToStream(unique('mixed'), mixed)
      t.same(positionsOf(await readAll(store)), range(1, 60))
      const signals = await readAll(store, { filter: { typePrefix: 'Signal' } })
      t.same(
        ns(signals),
        range(0, 19).map((n) => n * 3),
      )
      t.same(positionsOf(await readAll(store, { fromPosition: 5, maxCount: 20 })), range(5, 24))
    })

    t.test('two reads in progress at once do not disturb each other', async (t) => {
      const first = store.readAll({ fromPosition: 1 })[Symbol.asyncIterator]()
      const second = store.readAll({ fromPosition: 31 })[Symbol.asyncIterator]()
      const seen: [number[], number[]] = [[], []]
      for (let i = 0; i < 30; i++) {
        const [a, b] = [await first.next(), await second.next()]
        if (!a.done) seen[0].push(a.value.position)
        if (!b.done) seen[1].push(b.value.position)
      }
      await first.return?.()
      await second.return?.()
      t.same(seen, [range(1, 30), range(31, 60)])
    })

    t.test('appending while a read is in progress does not block either of them', async (t) => {
      const head = await store.headPosition()
      const seen: number[] = []
      for await (const event of store.readAll({ fromPosition: head - 9 })) {
        seen.push(event.position)
        if (seen.length === 2) await store.appendToStream(unique('during'), newEvents(1))
      }
      t.same(seen.slice(0, 10), range(head - 9, head))
      t.equal(await store.headPosition(), head + 1)
    })

    t.test('breaking out of a long read early stops it cleanly and frees what it held', async (t) => {
      const long = unique('long')
      for (let i = 0; i < 4; i++) await store.appendToStream(long, newEvents(500))
      const head = await store.headPosition()
      // More early exits than any connection pool is large: a leaked connection or cursor would hang.
      for (let round = 0; round < 30; round++) {
        const firstThree: number[] = []
        const source = round % 2 ? store.readAll({ fromPosition: head - 1999 }) : store.readStream(long)
        for await (const event of source) {
          firstThree.push(round % 2 ? event.position : event.revision)
          if (firstThree.length === 3) break
        }
        const start = round % 2 ? head - 1999 : 1
        if (firstThree.join() !== range(start, start + 2).join())
          t.fail(`round ${round} read ${firstThree.join()}`)
      }
      t.same(revisionsOf(await readStream(store, long, { fromRevision: 1998 })), [1998, 1999, 2000])
      t.equal((await store.appendToStream(long, newEvents(1))).revision, 2001)
    })
  })
}
