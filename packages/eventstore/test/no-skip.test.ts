// Integration (real PostgreSQL): a subscriber must never pass an append that has not committed yet,
// the trap BRIEF section 5 names (sequence positions committing out of order, as Marten shipped).
import t from 'tap'
import { WrongExpectedRevision } from '../src/index.ts'
import type { AppendResult, EventStore, NewEvent, RecordedEvent, StoreHooks } from '../src/index.ts'
import {
  deferred,
  idsOf,
  newEvent,
  newEvents,
  positionsOf,
  range,
  readAll,
  readStream,
  settle,
  sleep,
  track,
  within,
} from './contract/helpers.ts'
import { sharedSchema } from './pg-stores.ts'

t.test('a subscriber never delivers past an append whose transaction is still open', async (t) => {
  const { open } = await sharedSchema(t, 'es_noskip_hold')
  const release = deferred()
  const reached = deferred<number[]>()
  const hooks: StoreHooks = {
    beforeCommit: async ({ streamIds, positions }) => {
      if (!streamIds.includes('held')) return
      reached.resolve(positions)
      await release.promise
    },
  }
  const holder = await open({ hooks })
  const other = await open()
  const reader = await open({ pageSize: 7 })

  await other.appendToStream('before', newEvents(4))
  const { events, until } = track(t, reader, { fromPosition: 1 })
  await until(4, 'the subscriber to catch up')

  const held = holder.appendToStream('held', newEvents(3))
  const heldPositions = await within(reached.promise, 'the held append to reach its commit')
  const firstHeld = Math.min(...heldPositions)
  t.equal(firstHeld, 5, 'the held append has taken the next positions')

  // Other writers (another instance, and the holder's own queue) append meanwhile.
  const others = [
    ...range(1, 5).map((n) => other.appendToStream(`other-${n}`, newEvents(2))),
    holder.appendToStream('queued', newEvents(1)),
  ]
  const committedMeanwhile = await Promise.race([
    Promise.all(others).then(() => true),
    sleep(1500).then(() => false),
  ])
  t.comment(
    committedMeanwhile
      ? 'the other writers committed while the append was held'
      : 'the other writers waited for the held append (positions are taken under one lock)',
  )
  // Give the subscriber every chance to run ahead: several polls and notifications.
  await sleep(500)
  t.same(
    positionsOf(events).filter((p) => p >= firstHeld),
    [],
    'nothing at or past the held position was delivered before it committed',
  )

  release.resolve()
  const results = await within(Promise.all([held, ...others]), 'every append to commit')
  const head = await reader.headPosition()
  t.equal(head, Math.max(...results.map((r) => r.position)))
  await until(head, 'the subscriber to deliver everything')
  t.same(positionsOf(events), range(1, head), 'every event once, in position order, no gap')
  t.same(idsOf(events), idsOf(await readAll(reader)), 'the same events readAll returns')
  t.same(positionsOf(await readStream(reader, 'held')), heldPositions)
})

interface Ack {
  events: NewEvent[]
  result: AppendResult
}

/** One writer: appends to its own stream (exact revision) and to shared ones (any). */
async function writer(store: EventStore, no: number, acks: Ack[], failed: NewEvent[][], errors: unknown[]) {
  let revision = 0
  for (let n = 0; n < 8; n++) {
    const own = n % 2 === 0
    const streamId = own ? `writer-${no}` : `shared-${n % 4}`
    const events = range(1, 1 + Math.floor(Math.random() * 3)).map(() =>
      newEvent('ProgressReported', { no, n }),
    )
    const outcome = await settle(
      store.appendToStream(streamId, events, own ? { expectedRevision: revision } : undefined),
    )
    if (outcome.ok) {
      acks.push({ events, result: outcome.value })
      if (own) revision = outcome.value.revision
    } else {
      failed.push(events)
      errors.push(outcome.error)
    }
  }
}

t.test(
  'stress: 32 writers on 2 instances with rollbacks, and a subscriber sees each commit once',
  async (t) => {
    const { open } = await sharedSchema(t, 'es_noskip_stress')
    let injected = 0
    let commits = 0
    const hooks: StoreHooks = {
      beforeCommit: async () => {
        await sleep(Math.floor(Math.random() * 6))
        // One batch in ten fails at random, and the second always does: group commit can put all
        // the appends in so few batches that chance alone might inject none.
        if (++commits === 2 || Math.random() < 0.1) {
          injected++
          throw new Error('injected rollback')
        }
      },
    }
    const instances = [await open({ hooks }), await open({ hooks })]
    const reader = await open({ pageSize: 7 })
    const { events, until } = track(t, reader, { fromPosition: 1 })

    const acks: Ack[] = []
    const failed: NewEvent[][] = []
    const errors: unknown[] = []
    await within(
      Promise.all(
        range(1, 32).map((no) => writer(instances[no % 2] as EventStore, no, acks, failed, errors)),
      ),
      'the writers',
      120_000,
    )
    const head = await reader.headPosition()
    await until(head, `the subscriber to reach ${head}`)
    const all = await readAll(reader)

    t.comment(`${acks.length} appends acknowledged, ${failed.length} failed, ${injected} rollbacks injected`)
    t.ok(failed.length > 0, 'some appends were rolled back')
    t.same(
      errors.filter((e) => e instanceof WrongExpectedRevision),
      [],
      'no writer saw its own stream move: a failed append wrote nothing',
    )
    t.same(positionsOf(events), range(1, head), 'the subscriber delivered 1..head, each once, in order')
    t.same(idsOf(events), idsOf(all), 'the subscriber saw exactly what readAll returns')
    const acked = acks.flatMap((a) => idsOf(a.events))
    t.same([...acked].sort(), idsOf(all).sort(), 'the events stored are exactly the acknowledged ones')
    const stored = new Set(idsOf(all))
    t.same(
      failed.flat().filter((e) => stored.has(e.id)),
      [],
      'no event of a failed append was stored',
    )
    const byId = new Map(all.map((e): [string, RecordedEvent] => [e.id, e]))
    const wrongAcks = acks.filter(({ events, result }) => {
      const last = byId.get(events.at(-1)?.id ?? '')
      return last?.position !== result.position || last.revision !== result.revision
    })
    t.same(wrongAcks, [], 'each acknowledgement names the position and revision of its last event')
  },
)
