import { spawn, type ChildProcess } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import t from 'tap'
import { openPostgresStore } from '@coord/eventstore'
import { createTestSchema } from '@coord/eventstore/testing'
import { besideCleanRebuild, liveCheckpoint } from './fixtures/crash-check.ts'
import { scenario } from './fixtures/scenario.ts'
import { appendAll } from './helpers.ts'

// Integration (real PostgreSQL): the projector is SIGKILLed at random instants while it projects a
// few thousand events; after restarts it must hold exactly what a clean build from zero holds.

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..', '..')
const fixture = join(here, 'fixtures', 'projector-process.ts')

function startChild(args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, ...args], { cwd: root })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('started')) resolve(child)
    })
    child.once('exit', (code, signal) => reject(new Error(`projector exited (${code ?? signal}): ${stderr}`)))
  })
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })
}

t.test('killed at random points and restarted, the read models equal a clean rebuild', async (t) => {
  const storeSchema = await createTestSchema('proj_store')
  const crashed = await createTestSchema('proj_crashed')
  const clean = await createTestSchema('proj_clean')
  const { connectionString } = storeSchema
  const store = await openPostgresStore({ connectionString, schema: storeSchema.schema })
  const client = new pg.Client({ connectionString })
  await client.connect()
  let child: ChildProcess | null = null
  t.teardown(async () => {
    if (child) await kill(child)
    await client.end()
    await store.close()
    for (const schema of [storeSchema, crashed, clean]) await schema.drop()
  })

  const appends = scenario(250)
  const firstHalf = Math.floor(appends.length / 2)
  await appendAll(store, appends.slice(0, firstHalf))
  const args = [connectionString, storeSchema.schema, crashed.schema, '20']
  const seen: number[] = []
  let random = 12345
  const next = () => ((random = (random * 1103515245 + 12345) % 2 ** 31), random / 2 ** 31)
  for (let round = 0; round < 10; round++) {
    // Live appends between rounds: the restarted projector both catches up and follows.
    if (round === 5) await appendAll(store, appends.slice(firstHalf))
    child = await startChild(args)
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.floor(next() * 400)))
    await kill(child)
    seen.push(await liveCheckpoint(client, crashed.schema))
  }
  const head = await store.headPosition()
  t.ok(head > 2000, `${head} events appended`)
  t.ok(
    seen.some((c) => c > 0 && c < head),
    `killed mid-way (checkpoints after each kill: ${seen.join(', ')})`,
  )

  child = await startChild(args)
  while ((await liveCheckpoint(client, crashed.schema)) < head) await new Promise((r) => setTimeout(r, 100))
  await kill(child)
  child = null

  const digests = await besideCleanRebuild(t, {
    store,
    connectionString,
    crashedSchema: crashed.schema,
    cleanSchema: clean.schema,
    head,
    timeoutMs: 120_000,
  })
  const [crashedDigest, cleanDigest] = [digests.crashed, digests.clean]
  t.same(crashedDigest, cleanDigest, 'every read-model table is identical')
  t.equal(crashedDigest.activity.rows, head, 'each event applied exactly once')
  t.equal(crashedDigest.rejected.rows, 0)
})
