import t, { type Test } from 'tap'
import { openEmbeddedStore } from '@coord/eventstore'
import { createTestSchema } from '@coord/eventstore/testing'
import { digestVersion, openPostgresReadDb, Projector, ReadModels, type ReadDb } from '../src/index.ts'
import { createVersion, modelShape, readStates, tablesOf } from '../src/schema.ts'
import { scenario } from './fixtures/scenario.ts'
import { appendAll, readDbOpeners } from './helpers.ts'

// Each version records the shape of the tables the code that made it reads and writes. A live
// version of another shape (here: task versions as one jsonb column, as earlier code kept them)
// is built again by this code before it starts following; an unfinished one is dropped.

const bureaus = ['ip-office', 'commerce', 'market', 'science']

/** A store holding the scenario, and version 1 of the read models built from it by a projector now stopped. */
async function builtOnce(t: Test, open: () => Promise<ReadDb>, tasks: number) {
  const store = await openEmbeddedStore()
  const db = await open()
  t.teardown(async () => {
    await db.close()
    await store.close()
  })
  await appendAll(store, scenario(tasks))
  const head = await store.headPosition()
  const first = new Projector({ store, db })
  await first.start()
  await first.waitFor(head, 10_000)
  await first.stop()
  return { store, db, head, built: await digestVersion(db, 1) }
}

for (const [name, open] of Object.entries(readDbOpeners(t, 'shape'))) {
  t.test(`${name}: a live version of other columns is built again before the projector starts`, async (t) => {
    const { store, db, head, built } = await builtOnce(t, open, 8)
    const t1 = tablesOf(1)
    // What code from before column versions and shapes left: its own task_version, no shape.
    await db.query(`drop view rm_live_task_version`)
    await db.query(`drop table ${t1.task_version}`)
    await db.query(`create table ${t1.task_version} (stream_id text not null, position bigint not null,
      recorded_at text not null, row jsonb not null)`)
    await db.query(`create view rm_live_task_version as select * from ${t1.task_version}`)
    // And a rebuild it had begun; then its state table, which had no shapes.
    const unfinished = await createVersion(db, 'building')
    t.equal(unfinished, 2)
    await db.query('alter table rm_state drop column shape, drop column replaces')

    const second = new Projector({ store, db })
    t.teardown(() => second.stop())
    await second.start()
    const version = second.currentVersion()
    t.equal(version, 2, 'a new version, in place of the dropped unfinished one')
    t.same(
      (await readStates(db)).map(({ version, status, shape }) => ({ version, status, shape })),
      [{ version: 2, status: 'live', shape: modelShape }],
      'the old live version is forgotten, the unfinished one made again with this shape',
    )
    const leftover = await db.query<{ name: string }>(
      `select table_name as name from information_schema.tables
       where table_schema = current_schema() and table_name like 'rm_v1_%'`,
    )
    t.same(leftover, [], 'and its tables dropped')
    t.equal((await second.status()).checkpoint, head, 'built up to the head before starting')

    const now = await digestVersion(db, version)
    t.same(now, built, 'every table as the first build made it')
    t.equal(now.rejected.rows, 0, 'no event set aside')

    // Accountability as of an instant reads the task versions: it works on the new tables.
    const models = new ReadModels(db)
    const asOf = new Date().toISOString()
    for (const bureauId of bureaus) {
      const past = await models.bureauAccountability(bureauId, { asOf })
      const live = await models.bureauAccountability(bureauId, { today: past.today })
      t.same(
        past.tasks.map((task) => [task.streamId, task.status, task.percent]),
        live.tasks.map((task) => [task.streamId, task.status, task.percent]),
        `${bureauId}: as of now equals the live view`,
      )
    }
  })
}

t.test('two processes starting at once on a version of other columns end on one live version', async (t) => {
  const { connectionString, schema, drop } = await createTestSchema('shape_race')
  t.teardown(drop)
  const store = await openEmbeddedStore()
  const dbs = [
    await openPostgresReadDb({ connectionString, schema }),
    await openPostgresReadDb({ connectionString, schema }),
  ]
  t.teardown(async () => {
    for (const db of dbs) await db.close()
    await store.close()
  })
  await appendAll(store, scenario(8))
  const head = await store.headPosition()
  const first = new Projector({ store, db: dbs[0] as ReadDb })
  await first.start()
  await first.waitFor(head, 10_000)
  await first.stop()
  const built = await digestVersion(dbs[0] as ReadDb, 1)
  await (dbs[0] as ReadDb).query('update rm_state set shape = null')

  const projectors = dbs.map((db) => new Projector({ store, db }))
  t.teardown(async () => {
    for (const projector of projectors) await projector.stop()
  })
  await Promise.all(projectors.map((projector) => projector.start()))
  const versions = projectors.map((projector) => projector.currentVersion())
  const states = await readStates(dbs[0] as ReadDb)
  t.same(
    states.map((s) => [s.version, s.status]),
    [[versions[0], 'live']],
    'one live version, the one both serve, and nothing left being built',
  )
  for (const projector of projectors) {
    t.notOk((await projector.status()).rebuilding, 'the loser’s build is not carried on as a rebuild')
  }
  t.equal(versions[1], versions[0])
  t.notOk(
    states.some((s) => s.version === 1),
    'the old version is gone',
  )
  t.same(await digestVersion(dbs[0] as ReadDb, versions[0] as number), built, 'every table as built before')
})

for (const [name, open] of Object.entries(readDbOpeners(t, 'shape_other'))) {
  t.test(
    `${name}: a build another process began in place of the live version is not carried on`,
    async (t) => {
      const { store, db, built } = await builtOnce(t, open, 4)
      await db.query('update rm_state set shape = null')
      // Another process's build in place of version 1, at work or crashed: only it may finish it.
      const theirs = await createVersion(db, 'building', { replaces: 1 })
      t.equal(theirs, 2)

      const projector = new Projector({ store, db })
      t.teardown(() => projector.stop())
      await projector.start()
      t.equal(projector.currentVersion(), 3, 'this process built its own version')
      t.notOk((await projector.status()).rebuilding, 'and did not go on with the other one')
      t.same(
        (await readStates(db)).map(({ version, status, replaces }) => ({ version, status, replaces })),
        [{ version: 3, status: 'live', replaces: null }],
        'the replaced version and the abandoned build are forgotten',
      )
      const leftover = await db.query<{ name: string }>(
        `select table_name as name from information_schema.tables
       where table_schema = current_schema() and table_name ~ '^rm_v[12]_'`,
      )
      t.same(leftover, [], 'and their tables dropped')
      t.same(await digestVersion(db, 3), built, 'every table as built before')
    },
  )
}
