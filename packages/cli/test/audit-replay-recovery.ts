import t from 'tap'
import { replayAsOf } from '@coord/projector'
import { failingAfter } from '../../../services/projector/test/fixtures/failing-store.ts'
import { publishTasks, type ReplayAdapter } from './audit-replay-flow.ts'
import { runCli, tempDir } from './helpers.ts'

// A replay stopped half way (here its reads fail; Ctrl-C or a lost connection leave the same) has
// claimed its target first: `--replace` recognises it and replaces it, without which the target had
// to be dropped by hand. A target that is not a replay stays refused, --replace or not.

export function replayRecoveryFlow(adapter: ReplayAdapter): void {
  t.test(`${adapter.name}: a replay stopped half way is replaced with --replace`, async (t) => {
    const setup = await adapter.open(t, tempDir(t, 'coord-replay-'))
    const store = await setup.store()
    await publishTasks(store, 0, 4)
    const head = await store.headPosition()
    const asOf = new Date().toISOString()
    const stopped = setup.target('stopped')
    const db = await stopped.open()
    await t.rejects(replayAsOf({ store: failingAfter(store, 5), asOf, target: db, batchSize: 2 }))
    await db.close()
    await store.close()

    const refused = await runCli(['audit', 'replay', '--as-of', asOf, ...stopped.args], setup.env)
    t.equal(refused.code, 2, 'not replaced unasked')
    t.match(refused.stderr, /holds an unfinished replay: pass --replace to overwrite it/)
    const replaced = await runCli(
      ['audit', 'replay', '--as-of', asOf, ...stopped.args, '--replace', '--json'],
      setup.env,
    )
    t.equal(replaced.code, 0, replaced.stderr)
    t.equal((JSON.parse(replaced.stdout) as { events: number }).events, head, 'every event replayed')
  })

  t.test(`${adapter.name}: --replace still refuses a target that is not a replay`, async (t) => {
    const setup = await adapter.open(t, tempDir(t, 'coord-replay-'))
    const store = await setup.store()
    await publishTasks(store, 0, 1)
    await store.close()
    const other = setup.target('other')
    const db = await other.open()
    await db.query('create table unrelated (id int)')
    await db.close()

    const run = await runCli(
      ['audit', 'replay', '--as-of', '2030-01-01', ...other.args, '--replace'],
      setup.env,
    )
    t.equal(run.code, 2)
    t.match(run.stderr, /only an earlier replay \(with its rm_replay table\), finished or not, is replaced/)
    const kept = await other.open()
    t.teardown(() => kept.close())
    t.same(await kept.query('select count(*)::int as rows from unrelated'), [{ rows: 0 }], 'left as it was')
  })
}
