import { existsSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import t, { type Test } from 'tap'
import {
  openEmbeddedStore,
  openPostgresStore,
  uuidv7,
  type EventStore,
  type NewEvent,
} from '@coord/eventstore'
import { createTestSchema, testDatabaseUrl } from '@coord/eventstore/testing'
import {
  digestVersion,
  modelTables,
  openEmbeddedReadDb,
  openPostgresReadDb,
  Projector,
  ReadModels,
  type ReadDb,
  type VersionDigest,
} from '@coord/projector'
import { cliEnv, runCli, tempDir, type CliRun } from './helpers.ts'

// What the `coord audit replay` tests share: a history appended in two parts with a live projector
// following it, then the real CLI replaying it as of the end of today and as of the instant the
// first part was recorded; audit-replay-embedded.test.ts and audit-replay-postgres.test.ts run it.

export interface ReplayAdapter {
  name: 'embedded' | 'postgres'
  open(
    t: Test,
    dir: string,
  ): Promise<{
    store: () => Promise<EventStore>
    env: NodeJS.ProcessEnv
    /** A target of its own (not yet created): the CLI arguments naming it, and how to open it. */
    target: (label: string) => { args: string[]; open: () => Promise<ReadDb>; exists: () => Promise<boolean> }
  }>
}

async function schemaExists(schema: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() })
  await client.connect()
  try {
    const { rows } = await client.query('select 1 from information_schema.schemata where schema_name = $1', [
      schema,
    ])
    return rows.length > 0
  } finally {
    await client.end()
  }
}

export const replayAdapters: Record<ReplayAdapter['name'], ReplayAdapter> = {
  embedded: {
    name: 'embedded',
    open: async (_t, dir) => {
      const dataDir = join(dir, 'data')
      return {
        store: () => openEmbeddedStore({ dataDir }),
        env: cliEnv(dataDir),
        target: (label) => {
          const out = join(dir, `replay-${label}`)
          return {
            args: ['--out', out],
            open: () => openEmbeddedReadDb({ dataDir: out }),
            exists: () => Promise.resolve(existsSync(out)),
          }
        },
      }
    },
  },
  postgres: {
    name: 'postgres',
    open: async (t, dir) => {
      const storeSchema = await createTestSchema('cli_replay')
      const targets: string[] = []
      const { connectionString, schema } = storeSchema
      t.teardown(async () => {
        await storeSchema.drop()
        const client = new pg.Client({ connectionString })
        await client.connect()
        for (const target of targets) await client.query(`drop schema if exists "${target}" cascade`)
        await client.end()
      })
      return {
        store: () => openPostgresStore({ connectionString, schema }),
        env: cliEnv(join(dir, 'data'), { DATABASE_URL: connectionString }),
        target: (label) => {
          const out = `${schema}_${label}`
          targets.push(out)
          return {
            args: ['--schema', schema, '--schema-out', out],
            open: () => openPostgresReadDb({ connectionString, schema: out }),
            exists: () => schemaExists(out),
          }
        },
      }
    },
  },
}

const planId = 'pudong-ip-2017'
const bureaus = ['bureau-ip', 'bureau-commerce', 'bureau-market']
const meta = (bureauId?: string) => ({
  actor: bureauId
    ? { role: 'bureau', bureauId, user: `${bureauId}.clerk` }
    : { role: 'planner', user: 'plan' },
  correlationId: uuidv7(),
  causationId: null,
  occurredAt: '2018-03-01T02:00:00.000Z',
})
const event = (type: string, data: NewEvent['data'], bureauId?: string): NewEvent => ({
  id: uuidv7(),
  type,
  data,
  metadata: meta(bureauId),
})

/** Tasks `from`..`to` published, assigned, given a deadline and a first report. */
export async function publishTasks(store: EventStore, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    const taskId = `三.(一).${i}`
    const lead = bureaus[i % bureaus.length] as string
    await store.appendToStream(`task-${planId}/${taskId}`, [
      event('TaskPublished', {
        planId,
        taskId,
        title: `知识产权保护第${i}项`,
        sectionPath: ['三', '(一)'],
        basis: { kind: 'plan-clause', planId, clause: taskId },
      }),
      event('TaskAssigned', { leads: [lead], partners: [bureaus[(i + 1) % bureaus.length] as string] }),
      event('DeadlineSet', { deadline: '2019-06-30' }),
      event(
        'ProgressReported',
        { bureauId: lead, percent: 10 * i, narrative: `第${i}项进展`, evidence: [] },
        lead,
      ),
    ])
  }
}

/** Later work on the first tasks: a new lead for one, reports on others. */
async function laterWork(store: EventStore): Promise<void> {
  await store.appendToStream(`task-${planId}/三.(一).0`, [
    event('TaskAssigned', { leads: ['bureau-market'], partners: [] }),
  ])
  for (let i = 1; i < 4; i++) {
    const lead = bureaus[i % bureaus.length] as string
    await store.appendToStream(`task-${planId}/三.(一).${i}`, [
      event('ProgressReported', { bureauId: lead, percent: 90, narrative: '基本完成', evidence: [] }, lead),
    ])
  }
}

/** The digest a live projector has once it followed the store to its head. */
async function liveDigest(projector: Projector, db: ReadDb, store: EventStore): Promise<VersionDigest> {
  await projector.waitFor(await store.headPosition(), 20_000)
  return digestVersion(db, projector.currentVersion())
}

interface ReplayJson {
  asOf: string
  events: number
  lastPosition: number
  digest: VersionDigest
}

function parseJson(t: Test, run: CliRun): ReplayJson {
  t.equal(run.code, 0, run.stderr)
  return JSON.parse(run.stdout) as ReplayJson
}

/** The digest in the table `coord audit replay` prints. */
function parseTable(run: CliRun): VersionDigest {
  const digest = {} as VersionDigest
  for (const line of run.stdout.split('\n')) {
    const [name, rows, md5] = line.trim().split(/\s+/)
    if ((modelTables as readonly string[]).includes(name ?? '') && md5) {
      digest[name as keyof VersionDigest] = { rows: Number(rows), md5 }
    }
  }
  return digest
}

/** `2026-01-02T03:04:05.678Z` written as China Standard Time: `2026-01-02T11:04:05.678+08:00`. */
function inChinaTime(instant: string): string {
  return `${new Date(Date.parse(instant) + 8 * 3600_000).toISOString().slice(0, 23)}+08:00`
}

export function replayFlow(adapter: ReplayAdapter): void {
  t.test(`${adapter.name}: replays as of a date equal the live projector at that point`, async (t) => {
    const dir = tempDir(t, 'coord-replay-')
    const setup = await adapter.open(t, dir)
    const store = await setup.store()
    const liveDb = await openEmbeddedReadDb()
    const projector = new Projector({ store, db: liveDb })
    await projector.start()

    await publishTasks(store, 0, 6)
    const atCut = await liveDigest(projector, liveDb, store)
    const cutPosition = await store.headPosition()
    let cut = ''
    for await (const last of store.readAll({ fromPosition: cutPosition })) cut = last.metadata.recordedAt
    // Later events are recorded strictly after the cut, whatever the clock's resolution.
    await new Promise((resolve) => setTimeout(resolve, 10))
    await laterWork(store)
    await publishTasks(store, 6, 8)
    const atHead = await liveDigest(projector, liveDb, store)
    const head = await store.headPosition()
    const pastView = await new ReadModels(liveDb).bureauAccountability('bureau-ip', { asOf: cut })
    await projector.stop()
    await liveDb.close()
    await store.close()
    t.not(JSON.stringify(atCut), JSON.stringify(atHead), 'the history changed the models after the cut')

    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
    const first = setup.target('a')
    const full = parseJson(
      t,
      await runCli(['audit', 'replay', '--as-of', today, ...first.args, '--json'], setup.env),
    )
    t.equal(full.events, head, 'every event recorded by the end of today')
    t.equal(full.lastPosition, head)
    t.same(full.digest, atHead, 'the replay to today equals the live projector at the head')

    const second = await runCli(['audit', 'replay', '--as-of', today, ...setup.target('b').args], setup.env)
    t.equal(second.code, 0, second.stderr)
    t.same(parseTable(second), full.digest, 'a second replay of the same history prints the same digest')
    t.match(second.stdout, new RegExp(`replayed ${head} events`))
    t.match(second.stderr, /replay: \d+ events in [\d.]+ s \(\d+ events\/s\)/, 'progress on standard error')
    t.match(
      second.stderr,
      /replay: every event applied; making the keys and indexes\nreplay: digesting the tables\n/,
      'what it does after the last event',
    )

    const early = setup.target('c')
    const past = parseJson(
      t,
      await runCli(['audit', 'replay', '--as-of', inChinaTime(cut), ...early.args, '--json'], setup.env),
    )
    t.equal(past.asOf, cut)
    t.equal(past.events, cutPosition, 'only the events recorded up to the cut')
    t.same(past.digest, atCut, 'the replay as of the cut equals the live projector after those events')
    t.not(JSON.stringify(past.digest), JSON.stringify(full.digest), 'an earlier replay differs')

    // The replayed models answer queries: the live view there is the past view of the live models.
    const replayed = await early.open()
    try {
      const now = await new ReadModels(replayed).bureauAccountability('bureau-ip', { today: pastView.today })
      t.same({ ...now, position: 0 }, { ...pastView, asOf: null, position: 0 }, 'as-of query equals replay')
      t.equal(now.tasks.length, 4, 'two tasks led and two partnered by then')
    } finally {
      await replayed.close()
    }

    const again = await runCli(['audit', 'replay', '--as-of', today, ...first.args], setup.env)
    t.equal(again.code, 2, 'a target holding a replay is not overwritten unasked')
    t.match(again.stderr, /holds an earlier replay: pass --replace to overwrite it/)
    const replaced = parseJson(
      t,
      await runCli(
        ['audit', 'replay', '--as-of', inChinaTime(cut), ...first.args, '--replace', '--json'],
        setup.env,
      ),
    )
    t.same(replaced.digest, atCut, '--replace rebuilds the target as of the new instant')

    // Every malformed --as-of is a usage error before anything opens (audit-replay-options.test.ts
    // covers the forms); here, that it leaves no target behind.
    const bad = setup.target('d')
    const refused = await runCli(['audit', 'replay', '--as-of', '2019-02-30', ...bad.args], setup.env)
    t.equal(refused.code, 2, 'a day that does not exist is refused')
    t.match(refused.stderr, /--as-of must be a day YYYY-MM-DD .* or an ISO timestamp with a zone/)
    t.notOk(await bad.exists(), 'refused input creates no target')
  })
}
