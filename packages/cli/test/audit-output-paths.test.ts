import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { openEmbeddedStore, uuidv7 } from '@coord/eventstore'
import { cliEnv, runCli, tempDir } from './helpers.ts'

// Output paths the commands cannot write once ended in stacks (`ERR_STREAM_DESTROYED`, `EEXIST
// mkdir`, `ENOTDIR scandir`) after the store was read. Now: one line naming the path and the
// reason, exit 2, and no file left behind, partial or not.

async function storeWithEvents(dataDir: string, count: number): Promise<void> {
  const store = await openEmbeddedStore({ dataDir })
  const metadata = () => ({
    actor: { role: 'planner' as const, user: 'plan' },
    correlationId: uuidv7(),
    causationId: null,
    occurredAt: '2025-03-01T02:00:00.000Z',
  })
  const events = Array.from({ length: count }, (_, n) => ({
    id: uuidv7(),
    type: 'PlanImported',
    data: { n },
    metadata: metadata(),
  }))
  await store.appendToStream('plan-p1', events)
  await store.close()
}

t.test('paths the commands cannot write are usage errors that leave nothing behind', async (t) => {
  const dir = tempDir(t)
  const dataDir = join(dir, 'data')
  await storeWithEvents(dataDir, 3)
  const env = cliEnv(dataDir)
  const outputs = join(dir, 'outputs')
  mkdirSync(outputs)
  const file = join(outputs, 'a-file')
  writeFileSync(file, 'kept\n')

  const cases: [string[], string][] = [
    [
      ['export', '--out', join(dir, 'no', 'such', 'x.jsonl')],
      `cannot write ${join(dir, 'no', 'such', 'x.jsonl')}: ENOENT`,
    ],
    [['export', '--out', outputs], `cannot write ${outputs}: EISDIR`],
    [['report', '--year', '2025', '--format', 'json', '--out', file], `cannot write to ${file}: ENOTDIR`],
    [['replay', '--as-of', '2025-12-31', '--out', file], `cannot write to ${file}: ENOTDIR`],
  ]
  for (const [args, message] of cases) {
    const run = await runCli(['audit', ...args], env)
    t.equal(run.code, 2, `${args.join(' ')}: the usage exit code`)
    t.match(run.stderr, `coord: ${message}`)
    t.notMatch(run.stderr, /unexpected error|\n\s+at /, 'no stack')
  }
  t.same(readdirSync(outputs), ['a-file'], 'no partial export, no report, no replay')
  t.equal(readFileSync(file, 'utf8'), 'kept\n', 'the file given as a directory is untouched')
  t.same(readdirSync(dir).sort(), ['data', 'outputs'])

  const written = join(outputs, 'events.jsonl')
  const exported = await runCli(['audit', 'export', '--out', written], env)
  t.equal(exported.code, 0, exported.stderr)
  t.equal(
    readFileSync(written, 'utf8').trim().split('\n').length,
    3,
    'a path that can be written gets every event',
  )
  t.same(readdirSync(outputs).sort(), ['a-file', 'events.jsonl'], 'and nothing beside it')
})
