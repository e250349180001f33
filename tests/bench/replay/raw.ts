import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import pg from 'pg'

interface RawRow {
  position: string
  data: string
  metadata: string
}

/** Page sizes the limit tries: which reads fastest depends on the machine and the history's size. */
const pageSizes = [1000, 5000, 10_000]

/**
 * The limit for a replay: the fastest of sequential reads of the store's events table in position
 * order (pages by position of each size in `pageSizes`, one connection), every event's data and
 * metadata JSON-parsed and its recording time taken as text. Returns events/s and the page size.
 * `sizes` narrows the page sizes tried (one is enough for a warm-up).
 */
export async function rawSequentialRead(
  connectionString: string,
  schema: string,
  sizes: readonly number[] = pageSizes,
): Promise<{ rate: number; pageSize: number }> {
  let best = { rate: 0, pageSize: 0 }
  for (const pageSize of sizes) {
    const rate = await readInPages(connectionString, schema, pageSize)
    if (rate > best.rate) best = { rate, pageSize }
  }
  return best
}

async function readInPages(connectionString: string, schema: string, pageSize: number): Promise<number> {
  const client = await storeClient(connectionString, schema)
  try {
    return await readPages(client, pageSize)
  } finally {
    await client.end()
  }
}

/** A connection that reads the store in `schema`. */
export async function storeClient(connectionString: string, schema: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString, options: `-c search_path="${schema}"` })
  await client.connect()
  return client
}

/**
 * One sequential read of the store's events on `client` in pages of `pageSize` by position, data
 * and metadata JSON-parsed, the recording time as text; events/s.
 */
export async function readPages(client: pg.Client, pageSize: number): Promise<number> {
  const started = process.hrtime.bigint()
  let after = 0
  let count = 0
  let checksum = 0
  for (;;) {
    const { rows } = await client.query<RawRow>(
      `select position, id, stream_id, revision, type, schema_version, data::text as data,
         metadata::text as metadata, recorded_at::text as recorded_at from es_events where position > $1
       order by position limit $2`,
      [after, pageSize],
    )
    for (const row of rows) {
      const data = JSON.parse(row.data) as { percent?: number }
      JSON.parse(row.metadata)
      checksum += data.percent ?? 0
    }
    count += rows.length
    const last = rows.at(-1)
    if (!last || rows.length < pageSize) break
    after = Number(last.position)
  }
  if (checksum < 0) throw new Error('unreachable: keeps the parse from being optimised away')
  return count / (Number(process.hrtime.bigint() - started) / 1e9)
}

/**
 * The limit for verifying an export: the same file read line by line, each line JSON-parsed and
 * hashed once with SHA-256 (a Merkle leaf costs at least that). Returns events/s.
 */
export async function rawParseAndHash(file: string): Promise<number> {
  const started = process.hrtime.bigint()
  let count = 0
  let checksum = 0
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    const event = JSON.parse(line) as { position: number }
    checksum += event.position + (createHash('sha256').update(line).digest()[0] ?? 0)
    count += 1
  }
  if (checksum < 0) throw new Error('unreachable')
  return count / (Number(process.hrtime.bigint() - started) / 1e9)
}
