import pg from 'pg'
import t from 'tap'
import { openPostgresStore } from '@coord/eventstore'
import { createTestSchema } from '@coord/eventstore/testing'
import { besideCleanRebuild, liveCheckpoint } from '../../services/projector/test/fixtures/crash-check.ts'
import { scenario } from '../../services/projector/test/fixtures/scenario.ts'
import { appendAll } from '../../services/projector/test/helpers.ts'
import { killGroup, platformEnv, runEntry } from './support/process.ts'
import { long, record } from './support/results.ts'

// The projector service (services/projector/src/server.ts) SIGKILLed at random instants while it
// replays a long history from zero; restarted each time, it must end with exactly the read models
// a clean rebuild makes.

const kills = long ? 20 : 5
// The scenario appends about 12 events a task.
const tasks = long ? 9_400 : 940

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

t.test(`a projector SIGKILLed ${kills} times during a replay equals a clean rebuild`, async (t) => {
  const storeSchema = await createTestSchema('rel_proj_store')
  const crashed = await createTestSchema('rel_proj_crashed')
  const clean = await createTestSchema('rel_proj_clean')
  const { connectionString } = storeSchema
  const store = await openPostgresStore({ connectionString, schema: storeSchema.schema })
  const client = new pg.Client({ connectionString })
  await client.connect()
  t.teardown(async () => {
    await client.end()
    await store.close()
    for (const schema of [storeSchema, crashed, clean]) await schema.drop()
  })
  await appendAll(store, scenario(tasks))
  const head = await store.headPosition()

  const env = platformEnv({
    DATABASE_URL: connectionString,
    EVENT_STORE_SCHEMA: storeSchema.schema,
    READ_MODEL_SCHEMA: crashed.schema,
    PROJECTOR_BATCH_SIZE: '100',
  })
  const killedAt: number[] = []
  let random = 99
  const next = () => ((random = (random * 1103515245 + 12345) % 2 ** 31), random / 2 ** 31)
  for (let round = 0; round < kills; round++) {
    const before = await liveCheckpoint(client, crashed.schema)
    const { child } = runEntry(t, 'services/projector/src/server.ts', env)
    child.stdout?.resume()
    // Killed once it has committed something of this run, a random while later.
    while ((await liveCheckpoint(client, crashed.schema)) <= before && child.exitCode === null)
      await pause(10)
    await pause(Math.floor(next() * 300))
    await killGroup(child, 'SIGKILL')
    killedAt.push(await liveCheckpoint(client, crashed.schema))
  }
  const midway = killedAt.filter((c) => c > 0 && c < head).length
  t.ok(midway >= kills - 1, `killed mid-replay (checkpoints at each kill: ${killedAt.join(', ')} of ${head})`)

  const { child: last } = runEntry(t, 'services/projector/src/server.ts', env)
  last.stdout?.resume()
  while ((await liveCheckpoint(client, crashed.schema)) < head && last.exitCode === null) await pause(100)
  await killGroup(last, 'SIGTERM')

  const digests = await besideCleanRebuild(t, {
    store,
    connectionString,
    crashedSchema: crashed.schema,
    cleanSchema: clean.schema,
    head,
    timeoutMs: 300_000,
  })
  const [crashedDigest, cleanDigest] = [digests.crashed, digests.clean]
  t.same(crashedDigest, cleanDigest, 'every read-model table is identical to a clean rebuild')
  t.equal(crashedDigest.activity.rows, head, 'each event applied exactly once')
  const differ = JSON.stringify(crashedDigest) === JSON.stringify(cleanDigest) ? 0 : 1
  record({
    row: `Projector SIGKILLed ${kills} times at random points during a replay of ${head.toLocaleString('en')} events`,
    figure: `${kills} kills (${midway} mid-replay), ${head.toLocaleString('en')} events; read models ${differ ? 'differ from' : 'identical to'} a clean rebuild (digestVersion), activity rows ${crashedDigest.activity.rows.toLocaleString('en')}`,
    failures: differ + Math.abs(crashedDigest.activity.rows - head),
  })
})
