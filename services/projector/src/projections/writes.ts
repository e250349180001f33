import type { SqlClient } from '../db.ts'
import type { Tables } from '../schema.ts'
import { taskColumnNames } from '../queries/views.ts'
import { rolesOf, taskRowKept, type StoredTaskRow } from './task-row.ts'
import type { ExistingTask } from '@coord/planning'
import { copyData, type CopyColumn } from '../copy.ts'

/**
 * Every task row a replay has written, kept across its batches: a replay starts from an empty
 * target and is its only writer, so a stream absent from here has no row and nothing is read back.
 */
export type ReplayTasks = Map<string, StoredTaskRow | null>

/** A row of the activity timeline, column for column (schema.ts). */
export interface StoredActivityRow {
  position: number
  stream_id: string
  type: string
  occurred_at: string
  recorded_at: string
  actor: { role: string; bureauId: string | null; user: string }
  plan_id: string | null
  task_id: string | null
  task_stream_id: string | null
  meeting_id: string | null
  bureau_ids: string[]
  summary: string
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

/** A batch's writes, encoded and ready to send: each statement's text and parameters are built. */
export type SealedWrites = (tx: SqlClient) => Promise<void>

/**
 * The task and activity rows of a run of events, written together: task rows are read once for
 * the whole run (`preload`), folded in memory, and written set-based when sealed (the latest row
 * of each task, a version per event, the bureau rows of each reassigned task, a timeline row per
 * event), a handful of statements however long the run. Only the task projection reads these
 * tables, so the other models may write theirs directly in between. It holds rows, not a
 * connection: a replay folds a batch of task events with no database at hand and writes it later.
 */
export class ModelWrites {
  /** The latest row of each task stream read or written so far; null: no such task. */
  private readonly tasks: ReplayTasks
  private readonly changed = new Set<string>()
  private readonly versions: { recorded_at: string; row: Omit<StoredTaskRow, 'state'> }[] = []
  private readonly assignments = new Map<string, ExistingTask>()
  private readonly ever: [bureauId: string, streamId: string][] = []
  private readonly activity: StoredActivityRow[] = []

  /**
   * With `replay`, the task rows come from there and go back there (nothing is read), and the
   * append-only tables (task versions, timeline, its bureaus) are appended to, with COPY where the
   * client has it, with no conflict clause: their keys and indexes are made when the replay ends
   * (schema.ts).
   */
  constructor(
    private readonly t: Tables,
    private readonly replay?: ReplayTasks,
  ) {
    this.tasks = replay ?? new Map<string, StoredTaskRow | null>()
  }

  /** Reads the rows of these task streams in one statement. */
  async preload(tx: SqlClient, streamIds: readonly string[]): Promise<void> {
    if (this.replay) return
    const wanted = [...new Set(streamIds)].filter((id) => !this.tasks.has(id))
    if (wanted.length === 0) return
    const rows = await tx.query<{ row: StoredTaskRow }>(
      `select to_jsonb(x) as row from ${this.t.task} x where stream_id = any($1::text[])`,
      [wanted],
    )
    for (const id of wanted) this.tasks.set(id, null)
    for (const { row } of rows) this.tasks.set(row.stream_id, row)
  }

  async task(tx: SqlClient, streamId: string): Promise<StoredTaskRow | undefined> {
    if (!this.replay && !this.tasks.has(streamId)) await this.preload(tx, [streamId])
    return this.tasks.get(streamId) ?? undefined
  }

  /** The row after an event, recorded at `recordedAt`; `reassigned`: its bureau rows are replaced. */
  writeTask(row: StoredTaskRow, recordedAt: string, reassigned: boolean): void {
    this.tasks.set(row.stream_id, row)
    this.changed.add(row.stream_id)
    const { state: _state, ...version } = row
    this.versions.push({ recorded_at: recordedAt, row: version })
    if (!reassigned) return
    this.assignments.set(row.stream_id, row.state)
    for (const [bureauId] of rolesOf(row.state)) this.ever.push([bureauId, row.stream_id])
  }

  recordActivity(row: StoredActivityRow): void {
    this.activity.push(row)
  }

  /** Writes everything recorded since the last flush or seal. */
  async flush(tx: SqlClient): Promise<void> {
    await this.seal()(tx)
  }

  /**
   * Everything recorded since the last seal, encoded now (the rows' JSON, COPY's text) and written
   * when the result is called with a transaction; what it holds starts empty again.
   */
  seal(): SealedWrites {
    const steps = [...this.sealTasks(), ...this.sealAssignments(), ...this.sealActivity()]
    return async (tx) => {
      for (const step of steps) await step(tx)
    }
  }

  private sealTasks(): SealedWrites[] {
    if (this.changed.size === 0) return []
    const t = this.t
    const rows = JSON.stringify([...this.changed].map((id) => this.tasks.get(id)))
    const columns = storedTaskColumns.join(', ')
    // These keep an absent value as the jsonb `null` they have always held, not as SQL NULL.
    const values = storedTaskColumns
      .map((c) => (nullableJson.includes(c) ? `coalesce(${c}, 'null'::jsonb)` : c))
      .join(', ')
    const updated = storedTaskColumns
      .filter((c) => !(taskRowKept as readonly string[]).includes(c))
      .map((c) => `${c} = excluded.${c}`)
      .join(', ')
    const upsert: SealedWrites = async (tx) => {
      await tx.query(
        `insert into ${t.task} (${columns})
         select ${values} from jsonb_populate_recordset(null::${t.task}, $1::jsonb)
         on conflict (stream_id) do update set ${updated}`,
        [rows],
      )
    }
    // A version is the row as it stood after its event (without the domain state, which views never
    // show): accountability as of an instant reads the last version recorded up to it. Every column
    // is text, integer or jsonb, so the row's JSON is what `to_jsonb` of the stored row would give.
    let versions: SealedWrites
    if (this.replay) {
      versions = appended(
        t.task_version,
        versionColumns,
        this.versions.map(({ recorded_at, row }) => ({
          stream_id: row.stream_id,
          position: row.position,
          recorded_at,
          row,
        })),
      )
    } else {
      const json = JSON.stringify(this.versions)
      versions = async (tx) => {
        await tx.query(
          `insert into ${t.task_version} (stream_id, position, recorded_at, row)
           select v.row->>'stream_id', (v.row->>'position')::bigint, v.recorded_at, v.row
           from jsonb_to_recordset($1::jsonb) as v(recorded_at text, row jsonb)`,
          [json],
        )
      }
    }
    this.changed.clear()
    this.versions.length = 0
    return [upsert, versions]
  }

  /** A later assignment replaces the earlier one whole; every bureau a task was ever on is kept. */
  private sealAssignments(): SealedWrites[] {
    if (this.assignments.size === 0) return []
    const t = this.t
    const now = [...this.assignments].flatMap(([streamId, task]) =>
      rolesOf(task).map(([bureauId, role]) => [bureauId, streamId, role] as const),
    )
    const reassigned = [...this.assignments.keys()]
    const params = [
      now.map(([b]) => b),
      now.map(([, s]) => s),
      now.map(([, , r]) => r),
      this.ever.map(([b]) => b),
      this.ever.map(([, s]) => s),
    ]
    this.assignments.clear()
    this.ever.length = 0
    // The rows of the reassigned tasks are replaced (the delete first: one statement cannot delete
    // and insert the same row), and every bureau each task was on since is filed.
    return [
      async (tx) => {
        await tx.query(`delete from ${t.bureau_task} where stream_id = any($1::text[])`, [reassigned])
        await tx.query(
          `with ever as (insert into ${t.bureau_task_ever} (bureau_id, stream_id)
             select * from unnest($4::text[], $5::text[]) on conflict do nothing)
           insert into ${t.bureau_task} (bureau_id, stream_id, role)
           select * from unnest($1::text[], $2::text[], $3::text[]) on conflict do nothing`,
          params,
        )
      },
    ]
  }

  private sealActivity(): SealedWrites[] {
    if (this.activity.length === 0) return []
    const t = this.t
    const rows = this.activity.splice(0)
    const filed = rows.flatMap((row) => row.bureau_ids.map((bureauId) => [bureauId, row.position] as const))
    if (this.replay) {
      const bureaus = filed.map(([bureau_id, position]) => ({ bureau_id, position }))
      return [
        appended(t.activity, activityCopyColumns, rows),
        appended(t.activity_bureau, [{ name: 'bureau_id' }, { name: 'position' }], bureaus),
      ]
    }
    const columns = activityColumns.join(', ')
    const params = [JSON.stringify(rows), filed.map(([b]) => b), filed.map(([, p]) => p)]
    // One statement for the timeline rows and the bureaus each is filed under.
    return [
      async (tx) => {
        await tx.query(
          `with entry as (insert into ${t.activity} (${columns})
             select ${columns} from jsonb_populate_recordset(null::${t.activity}, $1::jsonb)
             on conflict (position) do nothing)
           insert into ${t.activity_bureau} (bureau_id, position)
           select * from unnest($2::text[], $3::bigint[]) on conflict do nothing`,
          params,
        )
      },
    ]
  }
}

/**
 * Appends rows to a table of a replay: COPY where the client has it (its text made now), else one
 * insert of the rows' JSON.
 */
function appended<Row>(table: string, columns: readonly CopyColumn[], rows: readonly Row[]): SealedWrites {
  const names = columns.map((column) => column.name).join(', ')
  const data = copyData(columns, rows)
  return async (tx) => {
    if (rows.length === 0) return
    if (tx.copyFrom) return tx.copyFrom(table, names, data)
    await tx.query(
      `insert into ${table} (${names}) select ${names} from jsonb_populate_recordset(null::${table}, $1::jsonb)`,
      [JSON.stringify(rows)],
    )
  }
}
