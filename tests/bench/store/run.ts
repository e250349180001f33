// pnpm bench:store [--quick]: appends and reads of our event store beside a raw pg insert loop and
// sequential read (the limit) and Emmett's PostgreSQL event store (the peer), in one run.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openEmbeddedStore, openPostgresStore, type EventStore } from '@coord/eventstore'
import { publish, quick, throughput, type Workload } from '../report.ts'
import { benchEvent, streamFor } from './events.ts'
import { createBenchDatabase } from './database.ts'
import { emmettAppends } from './emmett.ts'
import { rawPgliteAppends, rawPgliteRead, rawPgAppends, rawPgRead } from './raw.ts'

const counts = quick
  ? { 1: 600, 8: 3000, 32: 6000, embedded: 3000 }
  : { 1: 4000, 8: 20000, 32: 50000, embedded: 20000 }

async function oursAppends(store: EventStore, total: number, concurrency: number): Promise<number> {
  return throughput(total, concurrency, async (i) => {
    await store.appendToStream(streamFor(i, concurrency), [benchEvent(i)])
  })
}

async function oursRead(store: EventStore): Promise<number> {
  const started = process.hrtime.bigint()
  let n = 0
  for await (const _ of store.readAll()) n += 1
  return n / (Number(process.hrtime.bigint() - started) / 1e9)
}

async function postgresWorkloads(): Promise<Workload[]> {
  const db = await createBenchDatabase()
  const store = await openPostgresStore({ connectionString: db.url, schema: 'ours' })
  const workloads: Workload[] = []
  try {
    await oursAppends(store, 50, 4) // warm-up: connections, plans
    for (const c of [1, 8, 32] as const) {
      const total = counts[c]
      const ours = await oursAppends(store, total, c)
      const limit = await rawPgAppends(db.url, total, c)
      const peer = await emmettAppends(db.url, total, c)
      workloads.push({ name: `append-c${c}`, unit: 'events/s', better: 'higher', ours, limit, peer })
      log(`append-c${c}: ours ${ours.toFixed(0)}, raw ${limit.toFixed(0)}, emmett ${peer.toFixed(0)}`)
    }
    const [ours, limit] = await bestOf(
      3,
      () => oursRead(store),
      () => rawPgRead(db.url),
    )
    log(`read-all: ours ${ours.toFixed(0)}, raw ${limit.toFixed(0)}`)
    workloads.push({ name: 'read-all', unit: 'events/s', better: 'higher', ours, limit, peer: null })
  } finally {
    await store.close()
    await db.drop()
  }
  return workloads
}

async function embeddedWorkloads(): Promise<Workload[]> {
  const dir = mkdtempSync(join(tmpdir(), 'coord-bench-'))
  const store = await openEmbeddedStore({ dataDir: join(dir, 'ours') })
  try {
    const total = counts.embedded
    const ours = await oursAppends(store, total, 32)
    const raw = await rawPgliteAppends(join(dir, 'raw'), total, 32)
    const [read, rawRead] = await bestOf(
      3,
      () => oursRead(store),
      () => rawPgliteRead(raw.db),
    )
    await raw.db.close()
    log(
      `embedded: append ours ${ours.toFixed(0)}, raw ${raw.rate.toFixed(0)}; read ours ${read.toFixed(0)}, raw ${rawRead.toFixed(0)}`,
    )
    return [
      { name: 'embedded-append-c32', unit: 'events/s', better: 'higher', ours, limit: raw.rate, peer: null },
      {
        name: 'embedded-read-all',
        unit: 'events/s',
        better: 'higher',
        ours: read,
        limit: rawRead,
        peer: null,
      },
    ]
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Alternates two read measurements `rounds` times and keeps each one's best (warm caches). */
async function bestOf(
  rounds: number,
  a: () => Promise<number>,
  b: () => Promise<number>,
): Promise<[number, number]> {
  let best: [number, number] = [0, 0]
  for (let i = 0; i < rounds; i++) best = [Math.max(best[0], await a()), Math.max(best[1], await b())]
  return best
}

function log(message: string): void {
  process.stderr.write(`${message}\n`)
}

publish('store', [...(await postgresWorkloads()), ...(await embeddedWorkloads())])
