import t from 'tap'
import { digestVersion, Projector } from '../src/index.ts'
import { scenario } from './fixtures/scenario.ts'
import { appendAll, harness } from './helpers.ts'

t.test('lag is reported while behind and is zero once caught up', async (t) => {
  const h = await harness(t, { start: false })
  const head = await appendAll(h.store, scenario(3))
  await new Promise((resolve) => setTimeout(resolve, 30))
  const behind = await h.projector.status()
  t.match(behind, { checkpoint: 0, head, lagEvents: head, version: 0, rebuilding: false, error: null })
  t.ok(behind.lagSeconds > 0, `the oldest unprojected event is ${behind.lagSeconds}s old`)
  await h.projector.start()
  await h.caughtUp()
  t.match(await h.projector.status(), { checkpoint: head, head, lagEvents: 0, lagSeconds: 0, version: 1 })
})

t.test('waitFor resolves at the position and rejects with a clear error on timeout', async (t) => {
  const h = await harness(t)
  const position = await h.append('task-p/1', [
    'TaskPublished',
    {
      planId: 'p',
      taskId: '1',
      title: 'x',
      sectionPath: [],
      basis: { kind: 'plan-clause', planId: 'p', clause: '1' },
    },
  ])
  await h.projector.waitFor(position, 10_000)
  await h.projector.waitFor(0, 1)
  await t.rejects(h.projector.waitFor(position + 5, 50), {
    code: 'PROJECTION_TIMEOUT',
    status: 504,
    message: `the read models did not reach the requested position in time: waited 50 ms for position ${position + 5}; the read models are at ${position}`,
    details: { position: position + 5, reached: position },
  })
  await t.rejects(h.projector.waitFor(-1, 50), { code: 'INVALID_QUERY' })
  const pending = h.projector.waitFor(position + 1, 10_000)
  await h.projector.stop()
  await t.rejects(pending, { code: 'PROJECTOR_STOPPED' }, 'stopping settles whoever waits')
})

t.test('a restarted projector resumes after its checkpoint and ends where a clean build does', async (t) => {
  const h = await harness(t)
  const appends = scenario(6)
  await appendAll(h.store, appends.slice(0, 40))
  await h.caughtUp()
  await h.projector.stop()
  await appendAll(h.store, appends.slice(40))
  const again = new Projector({ store: h.store, db: h.db })
  t.teardown(() => again.stop())
  await again.start()
  await again.waitFor(await h.store.headPosition(), 10_000)
  const resumed = await digestVersion(h.db, again.currentVersion())
  await again.rebuild()
  t.equal(again.currentVersion(), 2)
  t.same(await digestVersion(h.db, 2), resumed, 'every table equal to a rebuild from zero')
  t.equal(resumed.activity.rows, await h.store.headPosition(), 'every event on the timeline once')
})

t.test('an event no model can apply is set aside and the models carry on', async (t) => {
  const h = await harness(t)
  await h.append('task-p/bad', ['TaskPublished', { planId: 'p', taskId: 'bad' }])
  await h.append('other-stream', ['SomethingNobodyKnows', { n: 1 }])
  await h.append('bureau-b1', [
    'BureauRegistered',
    {
      bureauId: 'b1',
      kind: '委办局',
      parentId: null,
      effectiveDate: '2017-01-01',
      nameZh: '一局',
      nameEn: 'b1',
      shortName: 'b1',
    },
  ])
  await h.caughtUp()
  const rejected = await h.db.query<{ position: string; type: string }>(
    'select position, type from rm_v1_rejected',
  )
  t.same(
    rejected.map((r) => [Number(r.position), r.type]),
    [[1, 'TaskPublished']],
  )
  t.equal((await h.models.responsibilities('b1', { asOf: '2018-01-01' }))?.bureau?.name?.nameZh, '一局')
  t.equal((await h.projector.status()).error, null)
  t.equal((await h.models.timeline()).entries.length, 1, 'only the registration is activity')
})

t.test('a rebuild fills a new version beside the live one; queries answer throughout', async (t) => {
  const h = await harness(t, { batchSize: 10 })
  await appendAll(h.store, scenario(50))
  await h.caughtUp()
  const expected = {
    accountability: await h.models.bureauAccountability('ip-office', { today: '2018-06-01' }),
    tree: await h.models.planTree('p1', { today: '2018-06-01' }),
    meeting: await h.models.meeting('m0', { today: '2018-06-01' }),
  }
  t.ok(expected.accountability.tasks.length > 0 && expected.meeting !== null, 'answers worth comparing')
  const before = await digestVersion(h.db, 1)
  let answered = 0
  let differed = 0
  let rebuilt = false
  let sawRebuilding = false
  const rebuilding = h.projector.rebuild().then(() => (rebuilt = true))
  while (!rebuilt) {
    const status = await h.projector.status()
    sawRebuilding ||= status.rebuilding
    const answers = {
      accountability: await h.models.bureauAccountability('ip-office', { today: '2018-06-01' }),
      tree: await h.models.planTree('p1', { today: '2018-06-01' }),
      meeting: await h.models.meeting('m0', { today: '2018-06-01' }),
    }
    if (JSON.stringify(answers) !== JSON.stringify(expected)) differed += 1
    answered += 1
    // Requests arrive through I/O; PGlite answers in microtasks, so a bare loop would starve timers.
    await new Promise((resolve) => setImmediate(resolve))
  }
  await rebuilding
  t.ok(sawRebuilding, 'status said so while it ran')
  t.ok(answered > 1, `queries answered ${answered} times during the rebuild`)
  t.equal(differed, 0, 'every answer equal to the one before the rebuild, across the switch')
  t.equal(h.projector.currentVersion(), 2)
  t.equal(await h.models.currentVersion(), 2)
  t.same(await digestVersion(h.db, 2), before, 'the rebuilt tables equal the ones they replace')
  const left = await h.db.query(
    `select table_name from information_schema.tables where table_name like 'rm\\_v1\\_%'`,
  )
  t.same(left, [], 'the old version is dropped')
  t.match(await h.projector.status(), { version: 2, rebuilding: false, lagEvents: 0 })
})

t.test('a rebuild follows appends made while it runs', async (t) => {
  const h = await harness(t, { batchSize: 10 })
  const appends = scenario(10)
  await appendAll(h.store, appends.slice(0, 100))
  await h.caughtUp()
  const rebuilding = h.projector.rebuild()
  await appendAll(h.store, appends.slice(100))
  await rebuilding
  await h.caughtUp()
  const live = await digestVersion(h.db, 2)
  await h.projector.rebuild()
  t.same(await digestVersion(h.db, 3), live)
})
