import t from 'tap'
import type { RecordedEvent } from '@coord/eventstore'
import { scenario } from './fixtures/scenario.ts'
import { appendAll, harness } from './helpers.ts'

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

t.test('listeners hear every applied event once, in order, after it is in the read models', async (t) => {
  const h = await harness(t, { batchSize: 7 })
  const heard: number[] = []
  const visible: boolean[] = []
  const checks: Promise<void>[] = []
  h.projector.onApplied((events) => {
    heard.push(...events.map((event) => event.position))
    const last = events.at(-1)?.position ?? 0
    // Whatever a listener is told is already committed: the timeline holds the batch's last event.
    checks.push(
      h.models.timeline({ limit: 1 }).then((page) => {
        visible.push((page.entries[0]?.position ?? 0) >= last)
      }),
    )
  })
  const head = await appendAll(h.store, scenario(3))
  await h.caughtUp()
  await Promise.all(checks)
  t.same(heard, range(1, head), 'positions 1..head, each once')
  t.ok(checks.length > 1, `told in ${checks.length} batches`)
  t.ok(
    visible.every((seen) => seen),
    'each batch was visible to readers when announced',
  )
})

t.test('a removed listener hears nothing more and a failing one stops nothing', async (t) => {
  const h = await harness(t)
  const kept: number[] = []
  const removed: number[] = []
  h.projector.onApplied(() => {
    throw new Error('listener failure')
  })
  h.projector.onApplied((events) => kept.push(...events.map((e) => e.position)))
  const stop = h.projector.onApplied((events) => removed.push(...events.map((e) => e.position)))
  const appends = scenario(2)
  const first = await appendAll(h.store, appends.slice(0, 10))
  await h.caughtUp()
  stop()
  const head = await appendAll(h.store, appends.slice(10))
  await h.caughtUp()
  t.same(removed, range(1, first), 'only what was applied before removal')
  t.same(kept, range(1, head), 'the others keep hearing, a throwing listener notwithstanding')
  t.equal((await h.projector.status()).error, null)
})

t.test('a rebuild neither repeats nor skips what listeners are told', async (t) => {
  const h = await harness(t, { batchSize: 25 })
  const heard: RecordedEvent[] = []
  h.projector.onApplied((events) => heard.push(...events))
  const appends = scenario(8)
  const half = Math.floor(appends.length / 2)
  await appendAll(h.store, appends.slice(0, half))
  await h.caughtUp()
  // Appends keep arriving while the next version is built and switched to.
  const rebuilt = h.projector.rebuild()
  const head = await appendAll(h.store, appends.slice(half))
  await rebuilt
  await h.caughtUp()
  t.equal(h.projector.currentVersion(), 2)
  t.same(
    heard.map((event) => event.position),
    range(1, head),
    'every position once, in order',
  )
  t.ok(
    heard.every((event) => typeof event.type === 'string' && event.streamId.length > 0),
    'whole events',
  )
})
