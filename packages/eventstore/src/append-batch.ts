import { escapeLiteral } from 'pg'
import { EventStoreError, WrongExpectedRevision } from './errors.ts'
import { canonicalJson } from './canonical-json.ts'
import type { SqlClient } from './sql/driver.ts'
import type { AppendResult, ExpectedRevision, IdempotencyKey } from './types.ts'
import type { PreparedEvent } from './validate.ts'

/** One caller's append waiting to be committed, possibly together with others. */
export interface PendingAppend {
  streamId: string
  events: PreparedEvent[]
  expected: ExpectedRevision
  idempotency: IdempotencyKey | undefined
  resolve(result: AppendResult): void
  reject(error: unknown): void
}

export type Outcome = { ok: AppendResult } | { error: Error }

export interface BatchOptions {
  hooks: StoreHooks
  /** NOTIFY channel that wakes subscribers in other processes at COMMIT; null: none. */
  channel: string | null
}

export interface StoreHooks {
  /** Testing seam: runs inside the append transaction after positions are assigned, before COMMIT. */
  beforeCommit?: (info: { streamIds: string[]; positions: number[] }) => Promise<void>
}

interface StoredEventRow {
  id: string
  stream_id: string
  revision: string | number
  position: string | number
  type: string
  data: unknown
}

interface KeyRow {
  key: string
  fingerprint: string
  stream_id: string
  revision: string | number
  position: string | number
}

/** What the batch has decided so far: stream revisions, the head, and what it will insert. */
class BatchPlan {
  readonly rows = {
    position: [] as number[],
    id: [] as string[],
    stream: [] as string[],
    revision: [] as number[],
    type: [] as string[],
    version: [] as number[],
    data: [] as string[],
    metadata: [] as string[],
  }
  readonly keys: { key: string; fingerprint: string; result: AppendResult }[] = []
  readonly acceptedIds = new Map<string, { event: PreparedEvent; streamId: string; result: AppendResult }>()

  constructor(
    public head: number,
    readonly revisions: Map<string, number>,
    /** Each stream's last event's position. */
    readonly lastPositions: Map<string, number>,
  ) {}

  accept(item: PendingAppend): AppendResult {
    let revision = this.revisions.get(item.streamId) ?? 0
    if (item.events.length === 0) {
      // A key recorded against the stream as it stands: no event, the stream's own position.
      const result = {
        streamId: item.streamId,
        revision,
        position: this.lastPositions.get(item.streamId) ?? 0,
      }
      if (item.idempotency) this.keys.push({ ...item.idempotency, result })
      return result
    }
    for (const event of item.events) {
      revision += 1
      this.head += 1
      const r = this.rows
      r.position.push(this.head)
      r.id.push(event.id)
      r.stream.push(item.streamId)
      r.revision.push(revision)
      r.type.push(event.type)
      r.version.push(event.schemaVersion)
      r.data.push(event.dataJson)
      r.metadata.push(event.metadataJson)
    }
    this.revisions.set(item.streamId, revision)
    this.lastPositions.set(item.streamId, this.head)
    const result = { streamId: item.streamId, revision, position: this.head }
    for (const event of item.events)
      this.acceptedIds.set(event.id, { event, streamId: item.streamId, result })
    if (item.idempotency) this.keys.push({ ...item.idempotency, result })
    return result
  }
}

/**
 * The statement that opens an append transaction: the lock on `es_position` that orders writers,
 * and the head, with everything the batch's decisions depend on (`loaded`) read alongside, the
 * batch's ids written into the text. Those reads see the database as the statement found it,
 * which may be before the lock was granted: `seen` is the head as they saw it, `position` the
 * head once locked, and they differ exactly when another append committed meanwhile.
 */
export function lockHead(batch: readonly PendingAppend[]): string {
  const { streams, keys, ids } = wanted(batch)
  const array = (values: readonly string[], type: string) =>
    `array(select jsonb_array_elements_text(${escapeLiteral(JSON.stringify(values))}::jsonb))::${type}[]`
  return `select position, (select position from es_position where id = 1) as seen,
      ${loaded(array(streams, 'text'), array(keys, 'text'), array(ids, 'uuid'))}
    from es_position where id = 1 for update`
}

/**
 * Decides and writes a batch of appends inside one transaction opened by `lockHead(batch)`, whose
 * row is `head`. The row lock on `es_position` serialises writers across processes until COMMIT,
 * so positions are dense and become visible in order. Each append gets its own outcome; a
 * rejected append does not fail the others.
 */
export async function commitBatch(
  tx: SqlClient,
  head: (LoadedRow & { position?: unknown; seen?: unknown }) | undefined,
  batch: PendingAppend[],
  options: BatchOptions,
): Promise<Outcome[]> {
  // What the opening statement read is current unless another append committed before the lock
  // was granted; then it is read again, under the lock.
  const current = head !== undefined && String(head.seen) === String(head.position)
  const loaded = loadedFrom(current ? head : await load(tx, batch))
  const plan = new BatchPlan(Number(head?.position ?? 0), loaded.revisions, loaded.lastPositions)
  const outcomes = batch.map((item) => decideItem(item, plan, loaded.keys, loaded.events))
  if (plan.rows.position.length > 0) await write(tx, plan, options)
  else if (plan.keys.length > 0) await writeKeys(tx, plan)
  return outcomes
}

function decideItem(
  item: PendingAppend,
  plan: BatchPlan,
  keyRows: Map<string, KeyRow>,
  idRows: Map<string, StoredEventRow>,
): Outcome {
  try {
    const repeated = replayedKey(item, plan, keyRows) ?? replayedIds(item, plan, idRows)
    if (repeated) return { ok: repeated }
    checkExpected(item, plan.revisions.get(item.streamId) ?? 0)
    return { ok: plan.accept(item) }
  } catch (error) {
    return { error: error as Error }
  }
}

function replayedKey(
  item: PendingAppend,
  plan: BatchPlan,
  keyRows: Map<string, KeyRow>,
): AppendResult | null {
  if (!item.idempotency) return null
  const { key, fingerprint } = item.idempotency
  const stored = keyRows.get(key)
  const earlier = plan.keys.find((k) => k.key === key)
  const found = stored
    ? { fingerprint: stored.fingerprint, result: keyResult(stored) }
    : earlier && { fingerprint: earlier.fingerprint, result: earlier.result }
  if (!found) return null
  if (found.fingerprint !== fingerprint) throw new EventStoreError('IDEMPOTENCY_KEY_REUSED', `key ${key}`)
  return found.result
}

/** The same event ids again: the original result when every event matches, else an error. */
function replayedIds(
  item: PendingAppend,
  plan: BatchPlan,
  idRows: Map<string, StoredEventRow>,
): AppendResult | null {
  let matched = 0
  let result: AppendResult | null = null
  for (const event of item.events) {
    const stored = idRows.get(event.id)
    const earlier = plan.acceptedIds.get(event.id)
    if (!stored && !earlier) continue
    const same = stored
      ? stored.stream_id === item.streamId &&
        stored.type === event.type &&
        sameJson(stored.data, event.dataJson)
      : earlier!.streamId === item.streamId &&
        earlier!.event.type === event.type &&
        earlier!.event.dataJson === event.dataJson
    if (!same) throw new EventStoreError('DUPLICATE_EVENT_ID', `event ${event.id}`)
    matched += 1
    const candidate = stored
      ? { streamId: item.streamId, revision: Number(stored.revision), position: Number(stored.position) }
      : earlier!.result
    if (!result || candidate.position > result.position) result = candidate
  }
  if (matched === 0) return null
  if (matched < item.events.length) {
    throw new EventStoreError('DUPLICATE_EVENT_ID', 'some of the batch was appended before, some not')
  }
  return result
}

function sameJson(stored: unknown, json: string): boolean {
  return canonicalJson(stored) === canonicalJson(JSON.parse(json))
}

function checkExpected(item: PendingAppend, actual: number): void {
  const { expected, streamId } = item
  const holds =
    expected === 'any' ||
    (expected === 'no_stream' && actual === 0) ||
    (expected === 'stream_exists' && actual > 0) ||
    expected === actual
  if (!holds) throw new WrongExpectedRevision(streamId, expected, actual)
}

function keyResult(row: KeyRow): AppendResult {
  return { streamId: row.stream_id, revision: Number(row.revision), position: Number(row.position) }
}

function wanted(batch: readonly PendingAppend[]) {
  return {
    streams: [...new Set(batch.map((i) => i.streamId))],
    keys: batch.flatMap((i) => (i.idempotency ? [i.idempotency.key] : [])),
    ids: batch.flatMap((i) => i.events.map((e) => e.id)),
  }
}

/** The columns of what the decisions depend on, given the SQL arrays of streams, keys and ids. */
function loaded(streams: string, keys: string, ids: string): string {
  return `(select coalesce(json_agg(json_build_array(stream_id, revision, position)), '[]'::json)
       from es_streams where stream_id = any(${streams})) as streams,
    (select coalesce(json_agg(k), '[]'::json)
       from es_idempotency k where key = any(${keys})) as keys,
    (select coalesce(json_agg(json_build_object('id', id, 'stream_id', stream_id, 'revision', revision,
              'position', position, 'type', type, 'data', data)), '[]'::json)
       from es_events where id = any(${ids})) as events`
}

interface LoadedRow {
  streams?: [string, number, number][]
  keys?: KeyRow[]
  events?: StoredEventRow[]
}

/** Everything the batch's decisions depend on, read again under the lock. */
async function load(tx: SqlClient, batch: readonly PendingAppend[]): Promise<LoadedRow | undefined> {
  const { streams, keys, ids } = wanted(batch)
  const [row] = await tx.query<LoadedRow>(`select ${loaded('$1::text[]', '$2::text[]', '$3::uuid[]')}`, [
    streams,
    keys,
    ids,
  ])
  return row
}

function loadedFrom(row: LoadedRow | undefined): Loaded {
  return {
    revisions: new Map((row?.streams ?? []).map(([id, revision]) => [id, Number(revision)])),
    lastPositions: new Map((row?.streams ?? []).map(([id, , position]) => [id, Number(position)])),
    keys: new Map((row?.keys ?? []).map((k) => [k.key, k])),
    events: new Map((row?.events ?? []).map((e) => [String(e.id).toLowerCase(), e])),
  }
}

interface Loaded {
  revisions: Map<string, number>
  lastPositions: Map<string, number>
  keys: Map<string, KeyRow>
  events: Map<string, StoredEventRow>
}

/** Writes the batch in one statement: head, events, stream revisions, keys, and the wake-up. */
async function write(tx: SqlClient, plan: BatchPlan, { hooks, channel }: BatchOptions): Promise<void> {
  const r = plan.rows
  const lastPositions = new Map<string, number>()
  r.stream.forEach((id, i) => lastPositions.set(id, r.position[i] ?? 0))
  const written = [...lastPositions.keys()]
  await tx.query(
    `with head as (
       update es_position set position = $1, recorded_at = greatest(clock_timestamp(), recorded_at)
       where id = 1 returning recorded_at
     ), events as (
       insert into es_events (position, id, stream_id, revision, type, schema_version, data, metadata, recorded_at)
       select p, i, s, r, t, v, d::jsonb, m::jsonb, (select recorded_at from head)
       from unnest($2::bigint[], $3::uuid[], $4::text[], $5::bigint[], $6::text[], $7::int[], $8::text[], $9::text[])
         as x(p, i, s, r, t, v, d, m)
     ), streams as (
       insert into es_streams (stream_id, revision, position)
       select * from unnest($10::text[], $11::bigint[], $12::bigint[])
       on conflict (stream_id) do update set revision = excluded.revision, position = excluded.position
     ), keys as (
       insert into es_idempotency (key, fingerprint, stream_id, revision, position)
       select * from unnest($13::text[], $14::text[], $15::text[], $16::bigint[], $17::bigint[])
     )
     select pg_notify($18::text, $1::text) where $18::text is not null`,
    [
      plan.head,
      r.position,
      r.id,
      r.stream,
      r.revision,
      r.type,
      r.version,
      r.data,
      r.metadata,
      written,
      written.map((id) => plan.revisions.get(id)),
      written.map((id) => lastPositions.get(id)),
      ...keyColumns(plan),
      channel,
    ],
  )
  await hooks.beforeCommit?.({ streamIds: written, positions: [...r.position] })
}

/** Records the keys of a batch that appends no event: the head, the events and the wake-up stay. */
async function writeKeys(tx: SqlClient, plan: BatchPlan): Promise<void> {
  await tx.query(
    `insert into es_idempotency (key, fingerprint, stream_id, revision, position)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[])`,
    keyColumns(plan),
  )
}

/** The batch's keys as the columns of `es_idempotency`, one array each. */
function keyColumns({ keys: k }: BatchPlan): unknown[] {
  return [
    k.map((x) => x.key),
    k.map((x) => x.fingerprint),
    k.map((x) => x.result.streamId),
    k.map((x) => x.result.revision),
    k.map((x) => x.result.position),
  ]
}
