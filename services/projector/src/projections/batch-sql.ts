import { escapeLiteral } from 'pg'
import { copyData, type CopyColumn } from '../copy.ts'
import type { SqlClient } from '../db.ts'
import { taskColumnNames } from '../queries/views.ts'
import type { Tables } from '../schema.ts'
import { taskRowKept, type StoredTaskRow } from './task-row.ts'
import type { StoredActivityRow } from './writes.ts'

/** A batch's writes, encoded and ready to send: each statement's text and parameters are built. */
export type SealedWrites = (tx: SqlClient) => Promise<void>

/** A task row as it stood after an event recorded at `recorded_at`. */
export interface TaskVersion {
  recorded_at: string
  row: StoredTaskRow
}

/** What a batch leaves to write once its events are folded (ModelWrites.seal). */
export interface BatchRows {
  /** The latest row of each task the batch changed. */
  tasks: StoredTaskRow[]
  /** A task version per event: the row after it (its domain state is not stored) and when. */
  versions: TaskVersion[]
  /**
   * The tasks whose leads or partners changed and whose bureau rows were written before (a task
   * new in the run has none): those rows are deleted, `bureauTasks` written instead.
   */
  replaced: string[]
  /** The bureau rows of every task whose leads or partners changed. */
  bureauTasks: (readonly [bureauId: string, streamId: string, role: string])[]
  /** Every bureau each reassigned task was on since. */
  ever: [bureauId: string, streamId: string][]
  /** A timeline row per event. */
  activity: StoredActivityRow[]
}

/** Every column of the task table: what views read, and what only the projector keeps. */
const storedTaskColumns = [
  ...taskColumnNames,
  'published_position',
  'events',
  'state',
] as const satisfies readonly (keyof StoredTaskRow)[]

const nullableJson: readonly string[] = ['last_progress', 'completion', 'rejection', 'verification']

const activityColumns = [
  'position',
  'stream_id',
  'type',
  'occurred_at',
  'recorded_at',
  'actor',
  'plan_id',
  'task_id',
  'task_stream_id',
  'meeting_id',
  'bureau_ids',
  'summary',
] as const satisfies readonly (keyof StoredActivityRow)[]

/** A version holds every column of the task row but the domain state, and its recording time. */
const versionRowColumns = storedTaskColumns.filter((name) => name !== 'state')
const versionColumnNames = ['recorded_at', ...versionRowColumns].join(', ')

const versionColumns: readonly CopyColumn<TaskVersion>[] = [
  { name: 'recorded_at', of: (version) => version.recorded_at },
  ...versionRowColumns.map((name) => ({ name, of: (version: TaskVersion) => version.row[name] })),
]

/** A version as one JSON object of its columns, for `jsonb_populate_recordset`. */
function versionRecord({ recorded_at, row }: TaskVersion): Record<string, unknown> {
  const record: Record<string, unknown> = { recorded_at }
  for (const name of versionRowColumns) record[name] = row[name]
  return record
}

const activityCopyColumns: readonly CopyColumn[] = activityColumns.map((name) => ({
  name,
  json: name === 'actor' || name === 'bureau_ids',
}))

/**
 * An expression giving the task rows of the streams `ids` (an SQL `text[]`) as one jsonb array,
 * each as `to_jsonb` renders the row.
 */
export function preloadedTasks(t: Tables, ids: string): string {
  return `(select coalesce(jsonb_agg(to_jsonb(x)), '[]'::jsonb) from ${t.task} x where x.stream_id = any(${ids}))`
}

/** `preloadedTasks` for a list known in advance, written into the text: for a statement without parameters. */
export function preloadedTasksOf(t: Tables, streamIds: readonly string[]): string {
  return preloadedTasks(
    t,
    `array(select jsonb_array_elements_text(${escapeLiteral(JSON.stringify(streamIds))}::jsonb))`,
  )
}

/** The upsert of task rows from a jsonb array ($1), keeping the columns an existing row keeps. */
function taskUpsert(t: Tables, rows: string): string {
  const columns = storedTaskColumns.join(', ')
  // These keep an absent value as the jsonb `null` they have always held, not as SQL NULL.
  const values = storedTaskColumns
    .map((c) => (nullableJson.includes(c) ? `coalesce(${c}, 'null'::jsonb)` : c))
    .join(', ')
  const updated = storedTaskColumns
    .filter((c) => !(taskRowKept as readonly string[]).includes(c))
    .map((c) => `${c} = excluded.${c}`)
    .join(', ')
  return `insert into ${t.task} (${columns})
    select ${values} from jsonb_populate_recordset(null::${t.task}, ${rows})
    on conflict (stream_id) do update set ${updated}`
}

/** The bureau rows of reassigned tasks (after their old rows are deleted) and every bureau since. */
function assignmentInsert(t: Tables): string {
  return `with ever as (insert into ${t.bureau_task_ever} (bureau_id, stream_id)
      select * from unnest($4::text[], $5::text[]) on conflict do nothing)
    insert into ${t.bureau_task} (bureau_id, stream_id, role)
    select * from unnest($1::text[], $2::text[], $3::text[]) on conflict do nothing`
}

function assignmentParams(rows: BatchRows): unknown[] {
  return [
    rows.bureauTasks.map(([b]) => b),
    rows.bureauTasks.map(([, s]) => s),
    rows.bureauTasks.map(([, , r]) => r),
    rows.ever.map(([b]) => b),
    rows.ever.map(([, s]) => s),
  ]
}

function filed(activity: readonly StoredActivityRow[]) {
  return activity.flatMap((row) =>
    row.bureau_ids.map((bureauId) => ({ bureau_id: bureauId, position: row.position })),
  )
}

/**
 * The live projector's writes: one statement for the tasks, their versions, the old bureau rows of
 * reassigned tasks, the timeline and its bureaus (tables apart, so one statement may write them
 * all), and, when tasks were reassigned, one more for their new bureau rows (one statement cannot
 * delete and insert the same row).
 */
export function liveWrites(t: Tables, rows: BatchRows): SealedWrites {
  const nothing = rows.tasks.length === 0 && rows.activity.length === 0 && rows.replaced.length === 0
  const bureaus = filed(rows.activity)
  const columns = activityColumns.join(', ')
  const params = [
    JSON.stringify(rows.tasks),
    JSON.stringify(rows.versions.map(versionRecord)),
    rows.replaced,
    JSON.stringify(rows.activity),
    bureaus.map((row) => row.bureau_id),
    bureaus.map((row) => row.position),
  ]
  const assignments = rows.bureauTasks.length > 0 ? assignmentParams(rows) : null
  return async (tx) => {
    if (nothing) return
    // A version is the row as it stood after its event: accountability as of an instant reads the
    // last version recorded up to it.
    await tx.query(
      `with deleted as (delete from ${t.bureau_task} where stream_id = any($3::text[])),
         tasks as (${taskUpsert(t, '$1::jsonb')}),
         versions as (insert into ${t.task_version} (${versionColumnNames})
           select ${versionColumnNames} from jsonb_populate_recordset(null::${t.task_version}, $2::jsonb)),
         entry as (insert into ${t.activity} (${columns})
           select ${columns} from jsonb_populate_recordset(null::${t.activity}, $4::jsonb)
           on conflict (position) do nothing)
       insert into ${t.activity_bureau} (bureau_id, position)
       select * from unnest($5::text[], $6::bigint[]) on conflict do nothing`,
      params,
    )
    if (assignments) await tx.query(assignmentInsert(t), assignments)
  }
}

/**
 * A replay's writes: the task rows upserted, the task versions, the timeline and its bureaus
 * appended (COPY where the client has it; their keys come when the replay ends), the bureau rows
 * of reassigned tasks replaced. Every row's JSON and COPY text is made now.
 */
export function replayWrites(t: Tables, rows: BatchRows): SealedWrites {
  const tasks = rows.tasks.length > 0 ? JSON.stringify(rows.tasks) : null
  const versions = appended(t.task_version, versionColumns, rows.versions, versionRecord)
  const assignments = rows.bureauTasks.length > 0 ? assignmentParams(rows) : null
  const activity = appended(t.activity, activityCopyColumns, rows.activity)
  const bureaus = appended(
    t.activity_bureau,
    [{ name: 'bureau_id' }, { name: 'position' }],
    filed(rows.activity),
  )
  return async (tx) => {
    if (tasks) await tx.query(taskUpsert(t, '$1::jsonb'), [tasks])
    await versions(tx)
    if (rows.replaced.length > 0)
      await tx.query(`delete from ${t.bureau_task} where stream_id = any($1::text[])`, [rows.replaced])
    if (assignments) await tx.query(assignmentInsert(t), assignments)
    await activity(tx)
    await bureaus(tx)
  }
}

/**
 * Appends rows to a table of a replay: COPY where the client has it (its data made now), else one
 * insert of the rows' JSON.
 */
function appended<Row>(
  table: string,
  columns: readonly CopyColumn<Row>[],
  rows: readonly Row[],
  record: (row: Row) => unknown = (row) => row,
): SealedWrites {
  const names = columns.map((column) => column.name).join(', ')
  const data = rows.length > 0 ? copyData(columns, rows) : null
  return async (tx) => {
    if (!data) return
    if (tx.copyFrom) return tx.copyFrom(table, names, data)
    await tx.query(
      `insert into ${table} (${names}) select ${names} from jsonb_populate_recordset(null::${table}, $1::jsonb)`,
      [JSON.stringify(rows.map(record))],
    )
  }
}
