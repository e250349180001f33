import t from 'tap'
import { openEmbeddedStore, type RecordedEvent } from '@coord/eventstore'
import { openEmbeddedReadDb, Projector, ReadModels } from '../src/index.ts'
import { scenario } from './fixtures/scenario.ts'
import { harness, metadataFor } from './helpers.ts'

const bureaus = ['ip-office', 'commerce', 'market', 'science', 'culture', 'finance', 'justice', 'customs']

async function all(iterable: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = []
  for await (const event of iterable) events.push(event)
  return events
}

t.test('accountability as of an instant equals a replay of the log recorded up to it', async (t) => {
  const live = await harness(t)
  // Appends a few milliseconds apart, so the history has many distinct recording instants.
  for (const { streamId, events } of scenario(24)) {
    await live.store.appendToStream(
      streamId,
      events.map(({ type, data, occurredAt }) => ({
        id: crypto.randomUUID(),
        type,
        data,
        metadata: metadataFor({ occurredAt }),
      })),
    )
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
  await live.caughtUp()
  const history = await all(live.store.readAll())

  // The replica is fed the same events in the same order, one cut at a time, and projected from
  // zero by a projector of its own: what a replay of the log up to each instant produces.
  const store = await openEmbeddedStore()
  const db = await openEmbeddedReadDb()
  const projector = new Projector({ store, db })
  t.teardown(async () => {
    await projector.stop()
    await db.close()
    await store.close()
  })
  await projector.start()
  const replayed = new ReadModels(db)

  // Before the first event neither record names any bureau: both answer UNKNOWN_BUREAU.
  const outcome = (answer: Promise<unknown>) =>
    answer.then(
      () => 'a view',
      (error: { code?: string }) => error.code,
    )
  for (const bureauId of bureaus) {
    t.same(
      [
        await outcome(live.models.bureauAccountability(bureauId, { asOf: '2000-01-01' })),
        await outcome(replayed.bureauAccountability(bureauId)),
      ],
      ['UNKNOWN_BUREAU', 'UNKNOWN_BUREAU'],
      `${bureauId} before the first event`,
    )
  }

  const cuts = [0.1, 0.35, 0.6, 0.85, 1].map((share) => Math.max(1, Math.floor(history.length * share)))
  let copied = 0
  let compared = 0
  for (const cut of cuts) {
    const asOf = history[cut - 1]?.metadata.recordedAt
    if (asOf === undefined) throw new Error(`no event at ${cut}`)
    // Every event recorded at or before the instant (several may share its millisecond).
    const upTo = history.filter((event) => event.metadata.recordedAt <= asOf).length
    for (; copied < upTo; copied++) {
      const event = history[copied] as RecordedEvent
      const { recordedAt: _recordedAt, ...metadata } = event.metadata
      await store.appendToStream(event.streamId, [
        { id: event.id, type: event.type, data: event.data, metadata },
      ])
    }
    await projector.waitFor(upTo, 10_000)
    for (const bureauId of bureaus) {
      const past = await live.models.bureauAccountability(bureauId, { asOf })
      const now = await replayed.bureauAccountability(bureauId, { today: past.today })
      t.equal(past.asOf, asOf)
      t.equal(past.position, upTo, `${bureauId} as of event ${upTo}: the last event recorded by then`)
      t.same(
        { ...past, asOf: null, position: 0 },
        { ...now, position: 0 },
        `${bureauId} as of event ${upTo} of ${history.length} equals the replay`,
      )
      compared += past.tasks.length
    }
  }
  t.ok(compared > 50, `the comparisons covered tasks (${compared} task rows)`)

  // The history moves: an early instant and the head differ for some bureau.
  const first = cuts[0] as number
  const early = await live.models.bureauAccountability('ip-office', {
    asOf: history[first - 1]?.metadata.recordedAt as string,
  })
  const head = await live.models.bureauAccountability('ip-office', { asOf: new Date().toISOString() })
  t.not(JSON.stringify(early.tasks), JSON.stringify(head.tasks), 'earlier instants show an earlier record')
})

t.test('a reassignment recorded later is absent from the view as of before it', async (t) => {
  const h = await harness(t)
  const stream = 'task-p1/一.1'
  await h.append(
    stream,
    [
      'TaskPublished',
      {
        planId: 'p1',
        taskId: '一.1',
        title: '专利快速审查',
        sectionPath: ['一'],
        basis: { kind: 'plan-clause', planId: 'p1', clause: '一.1' },
      },
    ],
    ['TaskAssigned', { leads: ['ip-office'], partners: ['commerce'] }],
  )
  await h.caughtUp()
  const [assigned] = (await all(h.store.readStream(stream))).slice(-1)
  await new Promise((resolve) => setTimeout(resolve, 5))
  await h.append(stream, ['TaskAssigned', { leads: ['market'], partners: [] }])
  await h.caughtUp()

  const before = { asOf: assigned?.metadata.recordedAt as string }
  t.same(
    (await h.models.bureauAccountability('ip-office', before)).tasks.map((x) => x.role),
    ['lead'],
  )
  t.same(
    (await h.models.bureauAccountability('commerce', before)).tasks.map((x) => x.role),
    ['partner'],
  )
  await t.rejects(
    h.models.bureauAccountability('market', before),
    { code: 'UNKNOWN_BUREAU' },
    'not yet the new lead: no event had named it, as a replay up to then answers',
  )
  t.same((await h.models.bureauAccountability('ip-office')).tasks, [], 'live: no longer on the task')
  t.same(
    (await h.models.bureauAccountability('market')).tasks.map((x) => x.role),
    ['lead'],
  )
  await t.rejects(
    h.models.bureauAccountability('market', { asOf: '2000-01-01' }),
    { code: 'UNKNOWN_BUREAU', message: /'market' as of 2000-01-01T15:59:59\.999Z/ },
    'a day means its end in CST; before any event the record names no bureau',
  )
})

t.test('an asOf that is not an instant is refused', async (t) => {
  const h = await harness(t)
  for (const asOf of ['yesterday', '2018-02-30', '2018-06-01T10:00', '2018-13-01T00:00:00Z', '']) {
    await t.rejects(h.models.bureauAccountability('ip-office', { asOf }), { code: 'INVALID_QUERY' }, asOf)
  }
})
