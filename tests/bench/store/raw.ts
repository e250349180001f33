import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { throughput } from '../report.ts'
import { benchEvent, streamFor } from './events.ts'

// A table of the same shape as the store's events table, with a plain sequence for positions.
const table = `create table if not exists raw_events (
  position bigserial primary key, id uuid not null unique, stream_id text not null, revision bigint not null,
  type text not null, schema_version integer not null, data jsonb not null, metadata jsonb not null,
  recorded_at timestamptz not null default now(), unique (stream_id, revision))`

const insert = `insert into raw_events (id, stream_id, revision, type, schema_version, data, metadata)
  values ($1, $2, $3, $4, 1, $5, $6)`

function params(i: number, concurrency: number): unknown[] {
  const e = benchEvent(i)
  const stream = `${streamFor(i, concurrency)}-c${concurrency}`
  return [e.id, stream, i, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata)]
}

/** The limit for appends: one INSERT per event, each its own transaction, on `concurrency` connections. */
export async function rawPgAppends(url: string, total: number, concurrency: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: concurrency })
  try {
    await pool.query(table)
    return await throughput(total, concurrency, async (i) => {
      await pool.query(insert, params(i, concurrency))
    })
  } finally {
    await pool.end()
  }
}

/** The limit for reads: one sequential SELECT of every row, JSON parsed as the store does. */
export async function rawPgRead(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await timedRead((sql) => client.query(sql).then((r) => r.rows as RawRow[]))
  } finally {
    await client.end()
  }
}

export async function rawPgliteAppends(dataDir: string, total: number, concurrency: number) {
  const db = await PGlite.create(dataDir)
  await db.exec(table)
  const rate = await throughput(total, concurrency, async (i) => {
    await db.query(insert, params(i, concurrency))
  })
  return { db, rate }
}

export function rawPgliteRead(db: PGlite): Promise<number> {
  return timedRead(async (sql) => (await db.query<RawRow>(sql)).rows)
}

interface RawRow {
  data: string
  metadata: string
}

async function timedRead(query: (sql: string) => Promise<RawRow[]>): Promise<number> {
  const started = process.hrtime.bigint()
  const rows = await query(
    `select position, id, stream_id, revision, type, schema_version, data::text as data,
       metadata::text as metadata, recorded_at from raw_events order by position`,
  )
  let checksum = 0
  for (const row of rows) {
    const data = JSON.parse(row.data) as { percent?: number }
    JSON.parse(row.metadata)
    checksum += data.percent ?? 0
  }
  if (checksum < 0) throw new Error('unreachable: keeps the parse from being optimised away')
  return rows.length / (Number(process.hrtime.bigint() - started) / 1e9)
}
