import { createHash } from 'node:crypto'
import type { ReadDb, SqlClient } from './db.ts'
import { inLanes } from './lanes.ts'

/**
 * Every read-model table, by its base name. A version's tables are `rm_v<version>_<name>`, so a
 * rebuild fills version N+1 beside version N, which keeps serving until the switch. The live
 * version is also readable as views `rm_live_<name>`, repointed in the switch's transaction.
 */
export const modelTables = [
  'task',
  'bureau_task',
  'task_version',
  'bureau_task_ever',
  'plan',
  'target',
  'meeting',
  'attendance',
  'resolution',
  'bureau',
  'duty',
  'reorganisation',
  'activity',
  'activity_bureau',
  'rejected',
] as const

export type ModelTable = (typeof modelTables)[number]
/** The name of each read-model table (or view) a query reads. */
export type TableNames = Readonly<Record<ModelTable, string>>
/** The tables of one version. */
export type Tables = TableNames & { readonly version: number }

export type VersionStatus = 'building' | 'live'

export function tablesOf(version: number): Tables {
  if (!Number.isSafeInteger(version) || version < 1) throw new RangeError(`invalid version ${version}`)
  const names = Object.fromEntries(modelTables.map((name) => [name, `rm_v${version}_${name}`]))
  return Object.freeze({ ...(names as Record<ModelTable, string>), version })
}

/**
 * Views of the live version's tables, under names that never change: a read of one statement needs
 * neither the live version's lookup nor a transaction of its own (one statement is one snapshot).
 */
export const liveTables: TableNames = Object.freeze(
  Object.fromEntries(modelTables.map((name) => [name, `rm_live_${name}`])) as Record<ModelTable, string>,
)

/**
 * Runs `work`, then points the live views at `version`'s tables, in one transaction: a reader sees
 * the old version whole or, once it commits, the new one (a statement that reaches a view while it
 * is replaced waits for the commit, then reads the new definition).
 */
export async function goLive(db: ReadDb, version: number, work?: (tx: SqlClient) => Promise<void>) {
  const views = Object.values(liveTables)
  await withLocks(
    db,
    (tx) => existing(tx, views),
    async (tx) => {
      await work?.(tx)
      const t = tablesOf(version)
      for (const name of modelTables) {
        // Dropped and made again rather than replaced: a new version may have other columns.
        await tx.query(`drop view if exists ${liveTables[name]}`)
        await tx.query(`create view ${liveTables[name]} as select * from ${t[name]}`)
      }
    },
  )
}

/**
 * Runs `work` in a transaction that first takes the exclusive locks of the relations `lock` names,
 * all in one statement and without waiting. A reader's statement locks the relations it reads in
 * its own order, so taking them one by one, waiting for each, could deadlock with it; while one is
 * in use the transaction is abandoned and tried again a moment later instead (readers hold them
 * for a statement or a read's snapshot: milliseconds).
 */
async function withLocks(
  db: ReadDb,
  lock: (tx: SqlClient) => Promise<string[]>,
  work: (tx: SqlClient) => Promise<void>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        const names = await lock(tx)
        if (names.length > 0) await tx.query(`lock table ${names.join(', ')} in access exclusive mode nowait`)
        await work(tx)
      })
    } catch (error) {
      // 55P03: lock_not_available. Given up on after half a minute of readers without a pause.
      if ((error as { code?: unknown }).code !== '55P03' || attempt >= 5000) throw error
      await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 10))
    }
  }
}

/** Those of `names` that exist in the current schema (tables or views). */
async function existing(tx: SqlClient, names: readonly string[]): Promise<string[]> {
  const rows = await tx.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = current_schema() and c.relname = any($1::text[]) order by c.relname`,
    [names],
  )
  return rows.map((row) => row.name)
}

/** The columns of a task row besides its stream, position and domain state: a task's and each version's. */
const taskRowColumns = `plan_id text not null, task_id text not null, title text not null,
  section_path jsonb not null, basis_kind text not null, basis_clause text, basis_meeting_id text,
  basis_resolution_id text, status text not null, resume_to text, leads jsonb not null,
  partners jsonb not null, deadline text, acknowledged jsonb not null, percent float8,
  last_progress jsonb, completion jsonb, rejection jsonb, verification jsonb, status_reason text,
  published_at text not null, published_position bigint not null, closed_at text,
  updated_at text not null, events integer not null`

// Times are ISO strings and days 'YYYY-MM-DD' as the events carry them, and lists are jsonb: rows
// depend on the events alone, so a table rebuilt from zero is identical to one followed live.
function tableDefinitions(t: Tables): string[] {
  return [
    `create table ${t.task} (stream_id text primary key, ${taskRowColumns},
      position bigint not null, state jsonb not null)`,
    `create index ${t.task}_plan on ${t.task} (plan_id, task_id)`,
    `create index ${t.task}_basis on ${t.task} (basis_meeting_id, basis_resolution_id)`,
    `create table ${t.bureau_task} (bureau_id text not null, stream_id text not null, role text not null,
      primary key (bureau_id, stream_id))`,
    // Temporal: every version of a task row (what `task` held after the event at `position`, the
    // domain state aside), and every task a bureau was ever on, so accountability as of any
    // instant is one indexed query. Columns rather than one jsonb of the row: half the bytes, with
    // no key names repeated in every version.
    `create table ${t.task_version} (stream_id text not null, position bigint not null,
      recorded_at text not null, ${taskRowColumns})`,
    `create table ${t.bureau_task_ever} (bureau_id text not null, stream_id text not null,
      primary key (bureau_id, stream_id))`,
    `create table ${t.plan} (plan_id text primary key, stream_id text not null, status text not null,
      title text not null, doc_number text, issuer text, issue_date text, period jsonb,
      sections jsonb not null, safeguards jsonb not null, source jsonb not null, goals jsonb not null,
      amendments integer not null, imported_at text not null, issued_at text, position bigint not null,
      state jsonb not null)`,
    `create table ${t.target} (plan_id text not null, target_id text not null, ord integer not null,
      metric text not null,
      text text not null, baseline float8, value float8 not null, unit text not null, deadline text,
      reporting_bureau_ids jsonb not null, latest_value float8, latest_as_of text, latest_bureau_id text,
      measurements integer not null, position bigint not null, primary key (plan_id, target_id))`,
    `create table ${t.meeting} (meeting_id text primary key, stream_id text not null, session integer not null,
      date text not null, convener text not null, agenda jsonb not null, status text not null,
      minutes_number text, minutes_issued_on text, closed_at text, position bigint not null,
      state jsonb not null)`,
    `create table ${t.attendance} (meeting_id text not null, bureau_id text not null, ord integer not null,
      status text not null, delegate text, recorded_at text not null, primary key (meeting_id, bureau_id))`,
    `create table ${t.resolution} (meeting_id text not null, resolution_id text not null, ord integer not null,
      version integer not null, text text not null, effect_kind text not null, effect jsonb not null,
      reason text, superseded jsonb not null, adopted_at text not null, corrected_at text,
      position bigint not null, primary key (meeting_id, resolution_id))`,
    `create table ${t.bureau} (bureau_id text primary key, kind text not null, parent_id text,
      registered_on text not null, name_zh text not null, name_en text not null, short_name text not null,
      names jsonb not null, status text not null, dissolved_on text, successor_ids jsonb not null,
      dissolved_by text, position bigint not null)`,
    `create table ${t.duty} (bureau_id text not null, list_kind text not null, duty_id text not null,
      position bigint not null, ord integer not null, effective_from text not null, effective_to text,
      title text not null,
      category text not null, legal_basis text not null, change text not null, counterpart text,
      reorganisation_id text, reason text not null, ended_by text, ended_to text, ended_reason text,
      primary key (bureau_id, list_kind, duty_id, position))`,
    `create index ${t.duty}_range on ${t.duty} (bureau_id, effective_from, effective_to)`,
    `create table ${t.reorganisation} (reorganisation_id text primary key, type text not null,
      from_bureau_ids jsonb not null, into_bureau_ids jsonb not null, effective_date text not null,
      reason text not null, decision jsonb not null, status text not null, steps integer,
      refused jsonb, decided_at text not null, completed_at text, position bigint not null)`,
    `create table ${t.activity} (position bigint not null, stream_id text not null, type text not null,
      occurred_at text not null, recorded_at text not null, actor jsonb not null, plan_id text,
      task_id text, task_stream_id text, meeting_id text, bureau_ids jsonb not null, summary text not null)`,
    `create table ${t.activity_bureau} (bureau_id text not null, position bigint not null)`,
    `create table ${t.rejected} (position bigint primary key, stream_id text not null, type text not null,
      error text not null)`,
  ]
}

/**
 * The keys and indexes of the tables only ever appended to (a version per task event, a timeline
 * row per event and its bureaus), table by table. `createVersion` makes them with the tables; a
 * replay, the only writer of an empty target, fills the tables first and makes them after
 * (`createAppendIndexes`), which ends in the same schema and is cheaper than keeping them up to
 * date row by row.
 */
function appendIndexesByTable(t: Tables): string[][] {
  return [
    // Versions are keyed by recording time within a task: its version as of an instant is one probe.
    [`alter table ${t.task_version} add primary key (stream_id, recorded_at, position)`],
    [
      `alter table ${t.activity} add primary key (position)`,
      `create index ${t.activity}_task on ${t.activity} (task_stream_id, position)`,
      `create index ${t.activity}_recorded on ${t.activity} (recorded_at, position)`,
      `create index ${t.activity}_meeting on ${t.activity} (meeting_id, position) where meeting_id is not null`,
    ],
    [`alter table ${t.activity_bureau} add primary key (bureau_id, position)`],
  ]
}

function appendIndexDefinitions(t: Tables): string[] {
  return appendIndexesByTable(t).flat()
}

/**
 * The tables, keys and indexes this code reads and writes, as a digest: recorded with each version
 * (`rm_state.shape`), so a version built by code with other columns is known as such and built
 * again rather than written to (Projector.start).
 */
export const modelShape: string = (() => {
  const t = tablesOf(1)
  // Layout aside: spaces around punctuation and line breaks do not change a table.
  const text = [...tableDefinitions(t), ...appendIndexDefinitions(t)]
    .join(';')
    .replace(/\s+/g, ' ')
    .replace(/ ?([(),;]) ?/g, '$1')
  return createHash('sha256').update(text).digest('hex').slice(0, 32)
})()

const stateTable = `create table if not exists rm_state (
  version integer primary key,
  checkpoint bigint not null default 0,
  status text not null check (status in ('building', 'live')),
  shape text,
  replaces integer,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now())`

/** Columns that came after the table, with their definitions, in the order they came. */
const laterColumns = { shape: 'text', replaces: 'integer' }

/**
 * Creates the state table, or gives one made by earlier code the columns it lacks (its rows null
 * there: a version of unknown shape, which is not this code's). The catalog is read first: an
 * `alter table` would lock the table, which every reader's version lookup reads, even to add nothing.
 */
export async function ensureStateTable(db: SqlClient): Promise<void> {
  await db.query(stateTable)
  const rows = await db.query<{ name: string }>(
    `select column_name as name from information_schema.columns
     where table_schema = current_schema() and table_name = 'rm_state'`,
  )
  const present = new Set(rows.map((row) => row.name))
  const missing = Object.entries(laterColumns).filter(([name]) => !present.has(name))
  if (missing.length === 0) return
  const adds = missing.map(([name, type]) => `add column if not exists ${name} ${type}`)
  await db.query(`alter table rm_state ${adds.join(', ')}`)
}

export interface VersionState {
  version: number
  checkpoint: number
  status: VersionStatus
  /** `modelShape` of the code that created the version; null when made before shapes were kept. */
  shape: string | null
  /**
   * For a version being built in place of a live one of another shape (Projector.start): that live
   * version. Such a build belongs to the process that began it; no rebuild carries it on.
   */
  replaces: number | null
}

export async function readStates(db: SqlClient): Promise<VersionState[]> {
  const rows = await db.query<{
    version: number
    checkpoint: string | number
    status: VersionStatus
    shape: string | null
    replaces: number | null
  }>('select version, checkpoint, status, shape, replaces from rm_state order by version')
  return rows.map((row) => ({
    version: row.version,
    checkpoint: Number(row.checkpoint),
    status: row.status,
    shape: row.shape,
    replaces: row.replaces,
  }))
}

/**
 * Creates the tables of a new version (one past every version recorded or left behind) and its
 * state row, in one transaction: a crash leaves either both or neither. `appendIndexes: false`
 * leaves out the keys and indexes of the append-only tables, for a replay to make at its end;
 * `replaces` records the live version a build is meant to take the place of (VersionState).
 */
export async function createVersion(
  db: ReadDb,
  status: VersionStatus,
  options: { appendIndexes?: boolean; replaces?: number } = {},
): Promise<number> {
  const version = await db.transaction(async (tx) => {
    // Serialises two processes creating a version at once (PGlite has one connection anyway).
    await tx.query('lock table rm_state in exclusive mode')
    const [row] = await tx.query<{ version: number | null }>('select max(version) as version from rm_state')
    const leftover = await versionsWithTables(tx)
    const version = Math.max(row?.version ?? 0, ...leftover) + 1
    const t = tablesOf(version)
    for (const statement of tableDefinitions(t)) await tx.query(statement)
    if (options.appendIndexes !== false)
      for (const statement of appendIndexDefinitions(t)) await tx.query(statement)
    await tx.query(
      'insert into rm_state (version, checkpoint, status, shape, replaces) values ($1, 0, $2, $3, $4)',
      [version, status, modelShape, options.replaces ?? null],
    )
    return version
  })
  if (status === 'live') await goLive(db, version)
  return version
}

/**
 * Makes the keys and indexes `createVersion` left out with `appendIndexes: false`: a transaction
 * per table, two tables at a time (on a server, on two connections, so two of its processes build
 * at once). A table's own statements run in turn: adding a primary key locks its table against
 * other builds.
 */
export async function createAppendIndexes(db: ReadDb, version: number): Promise<void> {
  await inLanes(appendIndexesByTable(tablesOf(version)), 2, (statements) =>
    db.transaction(async (tx) => {
      for (const statement of statements) await tx.query(statement)
    }),
  )
}

/** Drops a version's tables and forgets it (readers of it that are still at work finish first). */
export async function dropVersion(db: ReadDb, version: number): Promise<void> {
  const t = tablesOf(version)
  const tables = modelTables.map((name) => t[name])
  await withLocks(
    db,
    (tx) => existing(tx, tables),
    async (tx) => {
      for (const name of tables) await tx.query(`drop table if exists ${name}`)
      await tx.query('delete from rm_state where version = $1', [version])
    },
  )
}

/** Versions whose tables exist in the current schema. */
export async function versionsWithTables(db: SqlClient): Promise<number[]> {
  const rows = await db.query<{ table_name: string }>(
    `select table_name from information_schema.tables
     where table_schema = current_schema() and table_name like 'rm\\_v%\\_task'`,
  )
  return rows.flatMap((row) => {
    const match = /^rm_v(\d+)_task$/.exec(row.table_name)
    return match ? [Number(match[1])] : []
  })
}

/** Drops the tables of versions no state row names: what a crash between a switch and its drop left. */
export async function dropLeftovers(db: ReadDb): Promise<number[]> {
  // Tables first: a version created meanwhile by another process (its tables and state row commit
  // together) is then either not seen at all or seen with its state row, never as a leftover.
  const withTables = await versionsWithTables(db)
  const known = new Set((await readStates(db)).map((state) => state.version))
  const leftovers = withTables.filter((version) => !known.has(version))
  for (const version of leftovers) await dropVersion(db, version)
  return leftovers
}
