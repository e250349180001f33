// Integration: a process using the stores ends on its own. A store that keeps a handle open after
// close() (a socket, a timer, a PGlite worker) would keep a CLI or a test run from exiting.
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { openEmbeddedStore, openPostgresStore } from '../src/index.ts'
import { createTestSchema } from '../src/testing.ts'
import type { Test } from './contract/helpers.ts'
import { positionsOf, readAll } from './contract/helpers.ts'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const fixture = fileURLToPath(new URL('./fixtures/store-process.ts', import.meta.url))

interface Run {
  code: number | null
  signal: NodeJS.Signals | null
  killed: boolean
  stdout: string
  stderr: string
  ms: number
}

/**
 * Runs the fixture; kills it when it has not ended after `timeoutMs` (a bound, not a measure), or
 * `graceMs` after it printed `killAfter`.
 */
function runFixture(
  args: string[],
  { timeoutMs = 20_000, killAfter = /$^/, graceMs = 5_000 } = {},
): Promise<Run> {
  const started = Date.now()
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, ...args], { cwd: root })
  let stdout = ''
  let stderr = ''
  let printed = false
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8')
    if (!printed && killAfter.test(stdout)) {
      printed = true
      setTimeout(() => child.kill('SIGKILL'), graceMs).unref()
    }
  })
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, killed: signal === 'SIGKILL', stdout, stderr, ms: Date.now() - started })
    })
  })
}

function describe(t: Test, run: Run): void {
  t.comment(
    run.killed
      ? `the process did not exit on its own and was killed`
      : `the process exited with code ${run.code} after ${run.ms} ms`,
  )
  if (run.stderr.trim()) t.comment(`stderr: ${run.stderr.trim().slice(0, 2000)}`)
}

async function tempDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'coord-close-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return dir
}

async function pgSchema(t: Test) {
  const schema = await createTestSchema('es_close')
  t.teardown(() => schema.drop())
  return schema
}

async function storedPositions(open: () => Promise<import('../src/index.ts').EventStore>): Promise<number[]> {
  const store = await open()
  try {
    return positionsOf(await readAll(store))
  } finally {
    await store.close()
  }
}

t.test(
  'a process that appends, subscribes and closes both stores exits on its own with code 0',
  async (t) => {
    const dataDir = await tempDir(t)
    const { connectionString, schema } = await pgSchema(t)
    const run = await runFixture(['close', dataDir, connectionString, schema])
    describe(t, run)
    t.equal(run.killed, false, 'it ended without being killed')
    t.equal(run.code, 0, 'exit code 0')
    t.match(run.stdout, /closed/, 'both close() calls resolved')
    t.same(
      await storedPositions(() => openEmbeddedStore({ dataDir })),
      [1, 2, 3, 4],
      'embedded events are kept',
    )
    t.same(
      await storedPositions(() => openPostgresStore({ connectionString, schema })),
      [1, 2, 3, 4],
      'PostgreSQL events are kept',
    )
  },
)

t.test('stopping subscriptions in a process with nothing else running settles every stop()', async (t) => {
  const { connectionString, schema } = await pgSchema(t)
  const run = await runFixture(['stop-loop', connectionString, schema])
  describe(t, run)
  t.equal(run.killed, false, 'it ended without being killed')
  t.equal(run.code, 0, 'exit code 0')
  // A process whose event loop empties while a stop() is pending ends quietly, code 0 under tsx,
  // without printing: the output is the proof that every await settled.
  t.match(run.stdout, /closed/, 'every stop() and the close() resolved')
})

t.test('a process that appends to PostgreSQL and never closes the store', async (t) => {
  const { connectionString, schema } = await pgSchema(t)
  const run = await runFixture(['no-close-postgres', connectionString, schema])
  describe(t, run)
  // Observed: the pool allows exit when idle, so the process ends by itself; a forgotten close()
  // must not hang a CLI run.
  t.equal(run.killed, false, 'it ended on its own')
  t.equal(run.code, 0, 'exit code 0')
  t.match(run.stdout, /appended/)
  t.same(
    await storedPositions(() => openPostgresStore({ connectionString, schema })),
    [1, 2, 3],
    'the acknowledged events are stored',
  )
})

t.test(
  'an embedded store never closed keeps what it acknowledged, even when the process is killed',
  async (t) => {
    const dataDir = await tempDir(t)
    // Observed: with an embedded store left open the process does not end by itself (PGlite keeps
    // it alive), so the test kills it a few seconds after the append was acknowledged.
    const run = await runFixture(['no-close-embedded', dataDir], { killAfter: /appended/ })
    describe(t, run)
    t.match(run.stdout, /appended/, 'the append was acknowledged')
    t.same(
      await storedPositions(() => openEmbeddedStore({ dataDir })),
      [1, 2, 3],
      'the acknowledged events are stored',
    )
  },
)
