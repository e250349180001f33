import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createTestSchema } from '@coord/eventstore/testing'
import { modelTables, tablesOf } from '@coord/projector'
import pg from 'pg'
import { from as copyFromStdin, to as copyToStdout } from 'pg-copy-streams'

/** Rows are sent in pieces of about this size, as the replay sends a batch's rows at a time. */
const pieceBytes = 1 << 20

/**
 * A floor for a replay's writes: PostgreSQL alone taking the tables a replay made, with nothing to
 * read, fold or encode. Each table of `version` in `schema` is copied out to memory (not timed),
 * then, timed: copied into an empty table of the same columns in a schema of its own with `COPY`
 * (one connection, a transaction per table), then the source's keys and indexes made, a
 * transaction per table on two connections, as a replay makes its append-only tables' (connections
 * opened beforehand). Returns `events` over the timed seconds.
 */
export async function writeFloor(
  connectionString: string,
  schema: string,
  version: number,
  events: number,
): Promise<number> {
  const floor = await createTestSchema('bench_replay_floor')
  const client = await connected(connectionString)
  const other = await connected(connectionString)
  try {
    let timed = 0n
    const indexes: string[][] = []
    for (const table of modelTables.map((name) => tablesOf(version)[name])) {
      await client.query(`create table ${floor.schema}.${table} (like ${schema}.${table} including defaults)`)
      const statements = await indexDefinitions(client, schema, table, floor.schema)
      if (statements.length > 0) indexes.push(statements)
      const pieces = await copyOut(client, `${schema}.${table}`)
      timed += await elapsed(() =>
        inTransaction(client, () =>
          pipeline(
            Readable.from(pieces),
            client.query(copyFromStdin(`copy ${floor.schema}.${table} from stdin`)),
          ),
        ),
      )
    }
    const connections = [client, other]
    timed += await elapsed(() =>
      Promise.all(
        connections.map(async (connection, lane) => {
          for (let i = lane; i < indexes.length; i += connections.length) {
            await inTransaction(connection, async () => {
              for (const statement of indexes[i] as string[]) await connection.query(statement)
            })
          }
        }),
      ),
    )
    return events / (Number(timed) / 1e9)
  } finally {
    await Promise.all([client.end(), other.end()])
    await floor.drop()
  }
}

async function connected(connectionString: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString })
  await client.connect()
  return client
}

/** How long `work` took, in nanoseconds. */
async function elapsed(work: () => Promise<unknown>): Promise<bigint> {
  const started = process.hrtime.bigint()
  await work()
  return process.hrtime.bigint() - started
}

async function inTransaction(client: pg.Client, work: () => Promise<unknown>): Promise<void> {
  await client.query('begin')
  await work()
  await client.query('commit')
}

/** The keys and indexes of `schema.table`, made on the table of the same name in `target`. */
async function indexDefinitions(client: pg.Client, schema: string, table: string, target: string) {
  const { rows } = await client.query<{ indexdef: string }>(
    'select indexdef from pg_indexes where schemaname = $1 and tablename = $2',
    [schema, table],
  )
  return rows.map((row) => row.indexdef.replace(` ON ${schema}.${table} `, ` ON ${target}.${table} `))
}

/** The rows of `table` in COPY's text format, in pieces of about `pieceBytes`. */
async function copyOut(client: pg.Client, table: string): Promise<Buffer[]> {
  const pieces: Buffer[] = []
  let piece: Buffer[] = []
  let size = 0
  for await (const chunk of client.query(copyToStdout(`copy ${table} to stdout`)) as AsyncIterable<Buffer>) {
    piece.push(chunk)
    size += chunk.length
    if (size < pieceBytes) continue
    pieces.push(Buffer.concat(piece, size))
    piece = []
    size = 0
  }
  if (size > 0) pieces.push(Buffer.concat(piece, size))
  return pieces
}
