import { Frontier, toHex, type NodeRef, type SignedTreeHead, type StoredNode } from '@coord/audit'
import type { SqlClient } from './db.ts'

// The SQL of the log: leaves, completed nodes, the state row and the signed heads. Lists travel as
// comma-joined text (split in SQL), which PGlite and `pg` pass the same way.

/** Why a head was signed. */
export type HeadReason = 'schedule' | 'request' | 'year-end'

/** A signed head as the notary keeps it: the signed fields plus when and why it was signed. */
export interface NotaryHead extends SignedTreeHead {
  /** 1, 2, 3 … in signing order. */
  seq: number
  reason: HeadReason
  /** For a year-end head: the year (China Standard Time) whose events it covers exactly. */
  yearEnd: number | null
}

export interface LogState {
  treeSize: number
  checkpoint: number
  rootHash: string
  lastRecordedAt: string | null
}

export interface LeafRow {
  index: number
  position: number
  eventId: string
  hash: Uint8Array
}

const key = (level: number, index: number) => `${level}:${index}`

export async function readState(db: SqlClient, lock = false): Promise<LogState> {
  const rows = await db.query<{ tree_size: unknown; checkpoint: unknown; root: string; last: string | null }>(
    `select tree_size, checkpoint, encode(root_hash, 'hex') as root, last_recorded_at as last
     from notary_state where id = 1${lock ? ' for update' : ''}`,
  )
  const row = rows[0]
  if (!row) throw new Error('the notary state row is missing')
  return {
    treeSize: Number(row.tree_size),
    checkpoint: Number(row.checkpoint),
    rootHash: row.root,
    lastRecordedAt: row.last,
  }
}

/** Fetches stored nodes (level 0 from the leaves) by coordinates, in one query per table. */
export async function readNodes(db: SqlClient, refs: readonly NodeRef[]): Promise<Map<string, Uint8Array>> {
  const found = new Map<string, Uint8Array>()
  const leaves = refs.filter((r) => r.level === 0).map((r) => r.index)
  const inner = refs.filter((r) => r.level > 0)
  if (leaves.length > 0) {
    const rows = await db.query<{ leaf_index: unknown; hash: Uint8Array }>(
      `select leaf_index, hash from notary_leaves where leaf_index = any(string_to_array($1, ',')::bigint[])`,
      [leaves.join(',')],
    )
    for (const row of rows) found.set(key(0, Number(row.leaf_index)), row.hash)
  }
  if (inner.length > 0) {
    const rows = await db.query<{ level: unknown; idx: unknown; hash: Uint8Array }>(
      `select n.level, n.idx, n.hash from notary_nodes n
       join unnest(string_to_array($1, ',')::smallint[], string_to_array($2, ',')::bigint[]) as w(level, idx)
         on n.level = w.level and n.idx = w.idx`,
      [inner.map((r) => r.level).join(','), inner.map((r) => r.index).join(',')],
    )
    for (const row of rows) found.set(key(Number(row.level), Number(row.idx)), row.hash)
  }
  for (const ref of refs) {
    if (!found.has(key(ref.level, ref.index)))
      throw new Error(`the notary lost node ${key(ref.level, ref.index)}`)
  }
  return found
}

/** A lookup over fetched nodes, for `hashesForRanges`. */
export function lookupIn(nodes: Map<string, Uint8Array>): (level: number, index: number) => Uint8Array {
  return (level, index) => nodes.get(key(level, index)) as Uint8Array
}

/** The frontier of the tree as stored: its nodes loaded back. */
export async function readFrontier(db: SqlClient, size: number): Promise<Frontier> {
  const refs = Frontier.nodesFor(size)
  const nodes = await readNodes(db, refs)
  return new Frontier(
    size,
    refs.map((ref) => ({ ...ref, hash: nodes.get(key(ref.level, ref.index)) as Uint8Array })),
  )
}

export async function insertLeaves(db: SqlClient, leaves: readonly LeafRow[]): Promise<void> {
  if (leaves.length === 0) return
  await db.query(
    `insert into notary_leaves (leaf_index, position, event_id, hash)
     select i, p, e, decode(h, 'hex')
     from unnest(string_to_array($1, ',')::bigint[], string_to_array($2, ',')::bigint[],
                 string_to_array($3, ','), string_to_array($4, ',')) as t(i, p, e, h)`,
    [
      leaves.map((l) => l.index).join(','),
      leaves.map((l) => l.position).join(','),
      leaves.map((l) => l.eventId.replaceAll(',', '')).join(','),
      leaves.map((l) => toHex(l.hash)).join(','),
    ],
  )
}

export async function insertNodes(db: SqlClient, nodes: readonly StoredNode[]): Promise<void> {
  if (nodes.length === 0) return
  await db.query(
    `insert into notary_nodes (level, idx, hash)
     select l, i, decode(h, 'hex')
     from unnest(string_to_array($1, ',')::smallint[], string_to_array($2, ',')::bigint[],
                 string_to_array($3, ',')) as t(l, i, h)`,
    [
      nodes.map((n) => n.level).join(','),
      nodes.map((n) => n.index).join(','),
      nodes.map((n) => toHex(n.hash)).join(','),
    ],
  )
}

export async function writeState(db: SqlClient, state: LogState): Promise<void> {
  await db.query(
    `update notary_state set tree_size = $1, checkpoint = $2, root_hash = decode($3, 'hex'),
       last_recorded_at = $4 where id = 1`,
    [state.treeSize, state.checkpoint, state.rootHash, state.lastRecordedAt],
  )
}

/** Stores a head; a second year-end head for one year is not stored (null). */
export async function insertHead(
  db: SqlClient,
  head: SignedTreeHead,
  reason: HeadReason,
  yearEnd: number | null = null,
): Promise<NotaryHead | null> {
  const rows = await db.query<HeadRow>(
    `insert into notary_heads (tree_size, root_hash, signed_at, key_id, signature, reason, year_end)
     values ($1, decode($2, 'hex'), $3, $4, $5, $6, $7)
     on conflict (year_end) do nothing
     returning ${headColumns}`,
    [head.treeSize, head.rootHash, head.timestamp, head.keyId, head.signature, reason, yearEnd],
  )
  return rows[0] ? headFromRow(rows[0]) : null
}

export async function readHeads(db: SqlClient, options: { latest?: boolean } = {}): Promise<NotaryHead[]> {
  const rows = await db.query<HeadRow>(
    `select ${headColumns} from notary_heads order by seq ${options.latest ? 'desc limit 1' : 'asc'}`,
  )
  return rows.map(headFromRow)
}

const headColumns = `seq, tree_size, encode(root_hash, 'hex') as root_hash, signed_at, key_id, signature, reason, year_end`

interface HeadRow {
  seq: unknown
  tree_size: unknown
  root_hash: string
  signed_at: string
  key_id: string
  signature: string
  reason: HeadReason
  year_end: number | null
}

function headFromRow(row: HeadRow): NotaryHead {
  return {
    seq: Number(row.seq),
    treeSize: Number(row.tree_size),
    rootHash: row.root_hash,
    timestamp: row.signed_at,
    keyId: row.key_id,
    signature: row.signature,
    reason: row.reason,
    yearEnd: row.year_end === null ? null : Number(row.year_end),
  }
}

/** The leaf index and hash of the event at a global position, or null when it is not logged. */
export async function leafAt(
  db: SqlClient,
  position: number,
): Promise<{ index: number; hash: Uint8Array } | null> {
  const rows = await db.query<{ leaf_index: unknown; hash: Uint8Array }>(
    'select leaf_index, hash from notary_leaves where position = $1',
    [position],
  )
  return rows[0] ? { index: Number(rows[0].leaf_index), hash: rows[0].hash } : null
}
