import t from 'tap'
import { openEmbeddedStore } from '@coord/eventstore'
import { Projector, ReadModels, type ReadDb } from '../src/index.ts'
import { scenario } from './fixtures/scenario.ts'
import { appendAll, readDbOpeners } from './helpers.ts'

const today = { today: '2018-06-01' }

/** Which version's task table the live view reads. */
async function viewTarget(db: ReadDb): Promise<string | null> {
  const [row] = await db.query<{ target: string }>(
    `select t.relname as target from pg_depend d
       join pg_rewrite r on r.oid = d.objid
       join pg_class v on v.oid = r.ev_class
       join pg_class t on t.oid = d.refobjid
     where v.relname = 'rm_live_task' and t.relname <> 'rm_live_task'
       and v.relnamespace = to_regnamespace(current_schema())`,
  )
  return row?.target ?? null
}

for (const [adapter, open] of Object.entries(readDbOpeners(t, 'proj_live'))) {
  t.test(`${adapter}: the live views follow the live version through rebuilds`, async (t) => {
    const store = await openEmbeddedStore()
    const db = await open()
    const projector = new Projector({ store, db, batchSize: 50 })
    const models = new ReadModels(db)
    t.teardown(async () => {
      await projector.stop()
      await db.close()
      await store.close()
    })
    await t.rejects(models.timeline(), { code: 'NO_LIVE_VERSION' }, 'no views before the first start')
    await t.rejects(
      models.bureauAccountability('ip-office', today),
      { code: 'NO_LIVE_VERSION' },
      'nor a live view',
    )

    const head = await appendAll(store, scenario(40))
    await projector.start()
    await projector.waitFor(head, 60_000)
    t.equal(await viewTarget(db), 'rm_v1_task', 'made with the first version')
    const expected = {
      timeline: await models.timeline({ limit: 500 }),
      accountability: await models.bureauAccountability('ip-office', today),
      meetings: await models.meetings(),
    }
    t.equal(expected.timeline.entries.length, Math.min(head, 500), 'the timeline reads through them')
    t.equal(expected.accountability.position, head, 'the accountability view carries the checkpoint')
    t.ok(expected.accountability.tasks.length > 0, 'and the bureau’s tasks')

    // Readers keep reading (on PostgreSQL on connections of their own) while two rebuilds switch
    // the views under them.
    let rebuilt = false
    let answered = 0
    const failures: unknown[] = []
    const differed: string[] = []
    const reader = async () => {
      while (!rebuilt) {
        try {
          const answers = {
            timeline: await models.timeline({ limit: 500 }),
            accountability: await models.bureauAccountability('ip-office', today),
            meetings: await models.meetings(),
          }
          for (const [name, answer] of Object.entries(answers)) {
            if (JSON.stringify(answer) !== JSON.stringify(expected[name as keyof typeof expected]))
              differed.push(name)
          }
          answered += 1
        } catch (error) {
          failures.push(error)
        }
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
    const readers = Array.from({ length: 4 }, reader)
    await projector.rebuild()
    await projector.rebuild()
    rebuilt = true
    await Promise.all(readers)
    t.same(failures, [], 'no read failed across two switches')
    t.same(differed, [], 'every answer equal to the one before')
    t.ok(answered > 0, `answered ${answered} times meanwhile`)
    t.equal(await viewTarget(db), 'rm_v3_task', 'the views read the version now live')

    // Read models built before the views existed: the next start makes them.
    await projector.stop()
    for (const name of ['task', 'activity', 'bureau_task']) await db.query(`drop view rm_live_${name}`)
    await t.rejects(models.timeline(), { code: 'NO_LIVE_VERSION' }, 'without the views, no live read')
    await projector.start()
    t.same(await models.timeline({ limit: 500 }), expected.timeline, 'made again at start')
    t.equal(await viewTarget(db), 'rm_v3_task', 'on the live version')
  })
}
