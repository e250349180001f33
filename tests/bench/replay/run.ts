// pnpm bench:replay [--quick]: `coord audit replay`'s engine (replayAsOf) rebuilding every read
// model from a seeded history on PostgreSQL, beside a raw sequential read of the same events with
// JSON.parse (the limit), and `coord audit verify`'s path over an export of the same history beside
// reading and hashing each line once. Needs PostgreSQL (DATABASE_URL or the local server).
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openPostgresStore, type EventStore } from '@coord/eventstore'
import { createTestSchema } from '@coord/eventstore/testing'
import {
  modelTables,
  openPostgresReadDb,
  replayAsOf,
  tablesOf,
  type ModelTable,
  type VersionDigest,
} from '@coord/projector'
import { publish, quick } from '../report.ts'
import { cores, foldCpuSeconds } from './cpu.ts'
import { readWhileTaking } from './bound.ts'
import { rawParseAndHash, rawSequentialRead } from './raw.ts'
import { seedTasks } from './seed.ts'
import { exportAndSign, verifyExport } from './verify.ts'

const total = quick ? 20_000 : 1_000_000
const rounds = quick ? 2 : 1

function log(message: string): void {
  process.stderr.write(`${message}\n`)
}

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9

async function seed(store: EventStore): Promise<number> {
  const started = process.hrtime.bigint()
  let lastLog = Date.now()
  await seedTasks(store, total, (tasks) => {
    if (Date.now() - lastLog < 10_000) return
    lastLog = Date.now()
    log(`seeding: ${tasks * 50} events`)
  })
  const head = await store.headPosition()
  log(
    `seeded ${head} events in ${seconds(started).toFixed(1)} s (${(head / seconds(started)).toFixed(0)} events/s)`,
  )
  return head
}

/**
 * One replay as of now into a schema of its own; events/s until its tables are whole, keys and
 * indexes made (the digest timed apart).
 */
async function replayRound(
  store: EventStore,
  connectionString: string,
  raw: { schema: string; pageSize: number },
) {
  const target = await createTestSchema('bench_replay_rm')
  const db = await openPostgresReadDb({ connectionString, schema: target.schema })
  try {
    const started = process.hrtime.bigint()
    let appliedAt = started
    let builtAt = started
    let lastLog = Date.now()
    const result = await replayAsOf({
      store,
      asOf: new Date().toISOString(),
      target: db,
      onStage: (stage) => {
        if (stage === 'indexing') appliedAt = process.hrtime.bigint()
        if (stage === 'digesting') builtAt = process.hrtime.bigint()
      },
      onProgress: ({ applied, total: all }) => {
        if (Date.now() - lastLog < 10_000) return
        lastLog = Date.now()
        log(`replaying: ${applied}/${all} events, ${(applied / seconds(started)).toFixed(0)} events/s`)
      },
    })
    const builtSeconds = Number(builtAt - started) / 1e9
    const between = (from: bigint, to: bigint) => (Number(to - from) / 1e9).toFixed(1)
    log(
      `replay: ${result.events} events applied in ${between(started, appliedAt)} s, keys and indexes made in ${between(appliedAt, builtAt)} s more, digest in ${seconds(builtAt).toFixed(1)} s`,
    )
    const tables = tablesOf(result.version)
    const taking = (names: readonly ModelTable[]) =>
      readWhileTaking(
        connectionString,
        raw,
        target.schema,
        names.map((name) => tables[name]),
      )
    const work = { all: await taking(modelTables), timeline: await taking(['activity', 'activity_bureau']) }
    return { rate: result.events / builtSeconds, work, digest: result.digest }
  } finally {
    await db.close()
    await target.drop()
  }
}

/**
 * The most events/s a replay doing `work` (a measured wall and CPU time) and a fold of `fold` CPU
 * seconds can reach: all their CPU spread over every core with none idle, or the wall time of
 * `work` if that is longer.
 */
function ceiling(events: number, work: { wall: number; cpu: number }, fold: number): number {
  return events / Math.max(work.wall, (work.cpu + fold) / cores)
}

async function main(): Promise<void> {
  const schema = await createTestSchema('bench_replay')
  const { connectionString } = schema
  const store = await openPostgresStore({ connectionString, schema: schema.schema })
  const exportFile = join(tmpdir(), `${schema.schema}.jsonl`)
  try {
    const head = await seed(store)
    // Warm-up of the raw read's connection and JIT: one page size is enough, not all three.
    await rawSequentialRead(connectionString, schema.schema, [5000])
    // The least CPU a fold of the history takes: the best of two, for the same reason as the rounds.
    const fold = Math.min(
      await foldCpuSeconds(connectionString, schema.schema),
      await foldCpuSeconds(connectionString, schema.schema),
    )

    // Rounds alternate the two and keep each one's best: the machine is shared, and the best run is
    // the one least disturbed.
    let ours = 0
    let limit = 0
    let bound = 0
    let timelineBound = 0
    let first: VersionDigest | undefined
    for (let round = 1; round <= rounds; round++) {
      const raw = await rawSequentialRead(connectionString, schema.schema)
      const replay = await replayRound(store, connectionString, {
        schema: schema.schema,
        pageSize: raw.pageSize,
      })
      log(
        `round ${round}: replay ${replay.rate.toFixed(0)} events/s, raw sequential read ${raw.rate.toFixed(0)} events/s (pages of ${raw.pageSize})`,
      )
      const ceilings = {
        all: ceiling(head, replay.work.all, fold),
        timeline: ceiling(head, replay.work.timeline, fold),
      }
      const perEvent = (s: number) => `${((s / head) * 1e6).toFixed(1)} µs`
      for (const [what, work, rate] of [
        ["the replay's tables", replay.work.all, ceilings.all],
        ["the timeline's tables alone", replay.work.timeline, ceilings.timeline],
      ] as const) {
        log(
          `round ${round}: the raw read while PostgreSQL takes ${what}: ${perEvent(work.wall)} of wall time and ${perEvent(work.cpu)} of CPU per event; with the fold's ${perEvent(fold)} on ${cores} cores, at most ${rate.toFixed(0)} events/s (${(rate / raw.rate).toFixed(2)} of the raw read)`,
        )
      }
      bound = Math.max(bound, ceilings.all)
      timelineBound = Math.max(timelineBound, ceilings.timeline)
      first ??= replay.digest
      if (JSON.stringify(first) !== JSON.stringify(replay.digest))
        throw new Error('two replays gave different digests')
      ours = Math.max(ours, replay.rate)
      limit = Math.max(limit, raw.rate)
    }

    const signed = await exportAndSign(store, exportFile)
    let verify = 0
    let verifyLimit = 0
    for (let round = 1; round <= rounds; round++) {
      verifyLimit = Math.max(verifyLimit, await rawParseAndHash(exportFile))
      verify = Math.max(verify, await verifyExport(exportFile, signed))
    }
    log(
      `verify: ${verify.toFixed(0)} events/s; reading, parsing and hashing each line: ${verifyLimit.toFixed(0)} events/s`,
    )
    log(`${head} events in ${Math.ceil(head / 50)} task streams`)
    publish('replay', [
      { name: 'replay', unit: 'events/s', better: 'higher', ours, limit, peer: null },
      { name: 'replay-bound', unit: 'events/s', better: 'higher', ours, limit: bound, peer: null },
      {
        name: 'replay-timeline-bound',
        unit: 'events/s',
        better: 'higher',
        ours,
        limit: timelineBound,
        peer: null,
      },
      { name: 'verify', unit: 'events/s', better: 'higher', ours: verify, limit: verifyLimit, peer: null },
    ])
  } finally {
    rmSync(exportFile, { force: true })
    await store.close()
    await schema.drop()
  }
}

await main()
