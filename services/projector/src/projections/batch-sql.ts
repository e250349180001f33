import { escapeLiteral } from 'pg'
import { copyData, type CopyColumn } from '../copy.ts'
import type { SqlClient } from '../db.ts'
import { taskColumnNames } from '../queries/views.ts'
import type { Tables } from '../schema.ts'
import { taskRowKept, type StoredTaskRow } from './task-row.ts'
import type { StoredActivityRow } from './writes.ts'

/** A batch's writes, encoded and ready to send: each statement's text and parameters are built. */
export type SealedWrites = (tx: SqlClient) => Promise<void>

/** What a batch leaves to write once its events are folded (ModelWrites.seal). */
export interface BatchRows {
  /** The latest row of each task the batch changed. */
  tasks: StoredTaskRow[]
  /** A task version per event (the row after it, without the domain state). */
  versions: { recorded_at: string; row: Omit<StoredTaskRow, 'state'> }[]
  /** The tasks whose leads or partners changed: their bureau rows are replaced by `bureauTasks`. */
  reassigned: string[]
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

const versionColumns: readonly CopyColumn[] = [
  { name: 'stream_id' },
  { name: 'position' },
  { name: 'recorded_at' },
  { name: 'row', json: true },
]

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
  const nothing = rows.tasks.length === 0 && rows.activity.length === 0 && rows.reassigned.length === 0
  const bureaus = filed(rows.activity)
  const columns = activityColumns.join(', ')
  const params = [
    JSON.stringify(rows.tasks),
    JSON.stringify(rows.versions),
    rows.reassigned,
    JSON.stringify(rows.activity),
    bureaus.map((row) => row.bureau_id),
    bureaus.map((row) => row.position),
  ]
  const assignments = rows.reassigned.length > 0 ? assignmentParams(rows) : null
  return async (tx) => {
    if (nothing) return
    // A version is the row as it stood after its event: accountability as of an instant reads the
    // last version recorded up to it.
    await tx.query(
      `with deleted as (delete from ${t.bureau_task} where stream_id = any($3::text[])),
         tasks as (${taskUpsert(t, '$1::jsonb')}),
         versions as (insert into ${t.task_version} (stream_id, position, recorded_at, row)
           select v.row->>'stream_id', (v.row->>'position')::bigint, v.recorded_at, v.row
           from jsonb_to_recordset($2::jsonb) as v(recorded_at text, row jsonb)),
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
  const versions = appended(
    t.task_version,
    versionColumns,
    // Every column is text, integer or jsonb, so the row's JSON is what `to_jsonb` of the stored
    // row would give.
    rows.versions.map(({ recorded_at, row }) => ({
      stream_id: row.stream_id,
      position: row.position,
      recorded_at,
      row,
    })),
  )
  const assignments = rows.reassigned.length > 0 ? assignmentParams(rows) : null
  const activity = appended(t.activity, activityCopyColumns, rows.activity)
  const bureaus = appended(
    t.activity_bureau,
    [{ name: 'bureau_id' }, { name: 'position' }],
    filed(rows.activity),
  )
  return async (tx) => {
    if (tasks) await tx.query(taskUpsert(t, '$1::jsonb'), [tasks])
    await versions(tx)
    if (assignments) {
      await tx.query(`delete from ${t.bureau_task} where stream_id = any($1::text[])`, [rows.reassigned])
      await tx.query(assignmentInsert(t), assignments)
    }
    await activity(tx)
    await bureaus(tx)
  }
}

/**
 * Appends rows to a table of a replay: COPY where the client has it (its data made now), else one
 * insert of the rows' JSON.
 */
function appended<Row>(table: string, columns: readonly CopyColumn[], rows: readonly Row[]): SealedWrites {
  const names = columns.map((column) => column.name).join(', ')
  const data = rows.length > 0 ? copyData(columns, rows) : null
  return async (tx) => {
    if (!data) return
    if (tx.copyFrom) return tx.copyFrom(table, names, data)
    await tx.query(
      `insert into ${table} (${names}) select ${names} from jsonb_populate_recordset(null::${table}, $1::jsonb)`,
      [JSON.stringify(rows)],
    )
  }
}
