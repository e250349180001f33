import t from 'tap'
import { openEmbeddedStore } from '@coord/eventstore'
import { digestVersion, Projector, ReadModels, type ReadDb } from '../src/index.ts'
import { createVersion, modelShape, readStates, tablesOf } from '../src/schema.ts'
import { scenario } from './fixtures/scenario.ts'
import { appendAll, readDbOpeners } from './helpers.ts'

// Each version records the shape of the tables the code that made it reads and writes. A live
// version of another shape (here: task versions as one jsonb column, as earlier code kept them)
// is built again by this code before it starts following; an unfinished one is dropped.

const bureaus = ['ip-office', 'commerce', 'market', 'science']

for (const [name, open] of Object.entries(readDbOpeners(t, 'shape'))) {
  t.test(`${name}: a live version of other columns is built again before the projector starts`, async (t) => {
    const store = await openEmbeddedStore()
    const db: ReadDb = await open()
    t.teardown(async () => {
      await db.close()
      await store.close()
    })
    await appendAll(store, scenario(8))
    const head = await store.headPosition()

    const first = new Projector({ store, db })
    await first.start()
    await first.waitFor(head, 10_000)
    await first.stop()
    const built = await digestVersion(db, 1)
    const t1 = tablesOf(1)
    // What code from before column versions and shapes left: its own task_version, no shape.
    await db.query(`drop view rm_live_task_version`)
    await db.query(`drop table ${t1.task_version}`)
    await db.query(`create table ${t1.task_version} (stream_id text not null, position bigint not null,
      recorded_at text not null, row jsonb not null)`)
    await db.query(`create view rm_live_task_version as select * from ${t1.task_version}`)
    await db.query('update rm_state set shape = null')
    // And a rebuild it had begun, of yet another shape.
    const unfinished = await createVersion(db, 'building')
    await db.query(`update rm_state set shape = 'other' where version = $1`, [unfinished])
    t.equal(unfinished, 2)

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
