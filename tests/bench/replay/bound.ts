import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createTestSchema } from '@coord/eventstore/testing'
import pg from 'pg'
import { from as copyFromStdin, to as copyToStdout } from 'pg-copy-streams'
import { measured } from './cpu.ts'
import { readPages, storeClient } from './raw.ts'

/** Rows are sent in pieces of about this size, as a replay sends a batch's rows at a time. */
const pieceBytes = 1 << 20

/**
 * The work any replay must do at the least to fill `tables` (tables of `schema` a replay made),
 * whatever it folds and whatever else it writes. Timed together, from the same instant: the
 * store's events read as the limit reads them (pages of `pageSize`, JSON-parsed, one connection),
 * and PostgreSQL taking the tables' rows (copied out to memory beforehand, not timed) into empty
 * tables with `COPY`, each table's keys and indexes made after its rows, on two more connections
 * sharing the tables out by size. Nothing is folded or encoded. Returns the wall time and the CPU
 * time this process and PostgreSQL used, in seconds.
 */
export async function readWhileTaking(
  connectionString: string,
  store: { schema: string; pageSize: number },
  schema: string,
  tables: readonly string[],
): Promise<{ wall: number; cpu: number }> {
  return await withCopies(connectionString, schema, tables, async (copies, client, other) => {
    const lanes = [
      { connection: client, copies: [] as TableCopy[], bytes: 0 },
      { connection: other, copies: [] as TableCopy[], bytes: 0 },
    ]
    for (const copy of [...copies].sort((a, b) => sizeOf(b) - sizeOf(a))) {
      const lane = lanes[0]!.bytes <= lanes[1]!.bytes ? lanes[0]! : lanes[1]!
      lane.copies.push(copy)
      lane.bytes += sizeOf(copy)
    }
    // Every connection is open before the work starts and closed after: a PostgreSQL process that
    // ends within the measurement takes its CPU time with it.
    const reader = await storeClient(connectionString, store.schema)
    try {
      return await measured(() =>
        Promise.all([
          readPages(reader, store.pageSize),
          ...lanes.map(async ({ connection, copies }) => {
            for (const copy of copies) await take(connection, copy)
          }),
        ]),
      )
    } finally {
      await reader.end()
    }
  })
}

const sizeOf = (copy: TableCopy) => copy.pieces.reduce((bytes, piece) => bytes + piece.length, 0)

/** A table of a replay's, ready to be copied again: its rows in memory, its keys and indexes. */
interface TableCopy {
  target: string
  pieces: Buffer[]
  indexes: string[]
}

/**
 * Makes an empty table of the same columns as each of `tables` in `schema`, in a schema of its own,
 * reads their rows and index definitions, and runs `work` with them and two open connections.
 */
async function withCopies<T>(
  connectionString: string,
  schema: string,
  tables: readonly string[],
  work: (copies: TableCopy[], client: pg.Client, other: pg.Client) => Promise<T>,
): Promise<T> {
  const target = await createTestSchema('bench_replay_bound')
  const client = await connected(connectionString)
  const other = await connected(connectionString)
  try {
    const copies: TableCopy[] = []
    for (const table of tables) {
      await client.query(
        `create table ${target.schema}.${table} (like ${schema}.${table} including defaults)`,
      )
      copies.push({
        target: `${target.schema}.${table}`,
        indexes: await indexDefinitions(client, schema, table, target.schema),
        pieces: await copyOut(client, `${schema}.${table}`),
      })
    }
    return await work(copies, client, other)
  } finally {
    await Promise.all([client.end(), other.end()])
    await target.drop()
  }
}

/** One table's rows copied in, then its keys and indexes made, a transaction each. */
async function take(client: pg.Client, copy: TableCopy): Promise<void> {
  await inTransaction(client, () =>
    pipeline(Readable.from(copy.pieces), client.query(copyFromStdin(`copy ${copy.target} from stdin`))),
  )
  if (copy.indexes.length === 0) return
  await inTransaction(client, async () => {
    for (const statement of copy.indexes) await client.query(statement)
  })
}

async function connected(connectionString: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString })
  await client.connect()
  return client
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
