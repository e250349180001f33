import { WrongExpectedRevision } from '../../src/index.ts'
import type { AppendResult } from '../../src/index.ts'
import { checkDense } from './append.ts'
import {
  newEvent,
  newEvents,
  openStore,
  positionsOf,
  range,
  readStream,
  revisionsOf,
  settle,
  unique,
} from './helpers.ts'
import type { StoreFactory, Test } from './helpers.ts'

export function concurrencyFeatures(t: Test, factory: StoreFactory): void {
  t.test('concurrent appends', async (t) => {
    const store = await openStore(t, factory)

    t.test('of 20 appends expecting the same revision exactly one wins; the rest conflict', async (t) => {
      const id = unique('task')
      await store.appendToStream(id, newEvents(1))
      const outcomes = await Promise.all(
        range(1, 20).map(() => settle(store.appendToStream(id, newEvents(2), { expectedRevision: 1 }))),
      )
      const winners = outcomes.filter((o) => o.ok)
      const losers = outcomes.flatMap((o) => (o.ok ? [] : [o.error]))
      t.equal(winners.length, 1, 'one winner')
      t.equal(losers.length, 19)
      t.ok(
        losers.every((e) => e instanceof WrongExpectedRevision && e.expected === 1 && e.actual === 3),
        'every loser gets WrongExpectedRevision expected 1, actual 3',
      )
      t.equal((await store.streamState(id))?.revision, 3)
      t.same(revisionsOf(await readStream(store, id)), [1, 2, 3])
    })

    t.test('20 writers retrying on conflict each win exactly one revision', async (t) => {
      const id = unique('task')
      await store.appendToStream(id, newEvents(1))
      let conflicts = 0
      const writer = async (writerNo: number): Promise<AppendResult> => {
        for (;;) {
          const revision = (await store.streamState(id))?.revision ?? 0
          const outcome = await settle(
            store.appendToStream(id, [newEvent('ProgressReported', { writerNo })], {
              expectedRevision: revision,
            }),
          )
          if (outcome.ok) return outcome.value
          if (!(outcome.error instanceof WrongExpectedRevision) || outcome.error.actual <= revision)
            throw outcome.error
          conflicts++
        }
      }
      const results = await Promise.all(range(1, 20).map(writer))
      t.same(
        results.map((r) => r.revision).sort((a, b) => a - b),
        range(2, 21),
        'each revision has one winner',
      )
      const events = await readStream(store, id)
      t.same(revisionsOf(events), range(1, 21), 'final revision equals the number of winners')
      t.same(
        events
          .slice(1)
          .map((e) => (e.data as { writerNo: number }).writerNo)
          .sort((a, b) => a - b),
        range(1, 20),
      )
      t.comment(`${conflicts} conflicts were retried`)
    })

    t.test('concurrent appends to different streams all succeed with dense unique positions', async (t) => {
      const head = await store.headPosition()
      const streams = range(1, 20).map(() => unique('task'))
      const results = await Promise.all(streams.map((id) => store.appendToStream(id, newEvents(3))))
      t.same(
        results.map((r) => r.revision),
        streams.map(() => 3),
      )
      const positions = (await Promise.all(streams.map((id) => readStream(store, id)))).map(positionsOf)
      t.same(
        positions.flat().sort((a, b) => a - b),
        range(head + 1, head + 60),
        'positions head+1..head+60, each once',
      )
      t.ok(
        positions.every(
          (p, i) => p.join() === range((results[i]?.position ?? 0) - 2, results[i]?.position ?? 0).join(),
        ),
        'each append’s events hold consecutive positions ending at the position it returned',
      )
      t.equal(await store.headPosition(), head + 60)
    })

    t.test('positions stay dense after concurrent conflicts', async (t) => {
      await checkDense(t, store)
    })
  })
}
