import type { ExistingTask } from '@coord/planning/domain'
import type { SqlClient } from '../db.ts'
import type { Tables } from '../schema.ts'
import { liveWrites, preloadedTasks, replayWrites, type BatchRows, type SealedWrites } from './batch-sql.ts'
import { rolesOf, type StoredTaskRow } from './task-row.ts'

export type { SealedWrites } from './batch-sql.ts'

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

/**
 * The task and activity rows of a run of events, written together: task rows are read once for
 * the whole run (`preload`), folded in memory, and written set-based when sealed (the latest row
 * of each task, a version per event, the bureau rows of each reassigned task, a timeline row per
 * event), a statement or two however long the run (batch-sql.ts). Only the task projection reads
 * these tables, so the other models may write theirs directly in between. It holds rows, not a
 * connection: a replay folds a batch of task events with no database at hand and writes it later.
 */
export class ModelWrites {
  /** The latest row of each task stream read or written so far; null: no such task. */
  private readonly tasks: ReplayTasks
  private readonly changed = new Set<string>()
  /** The changed streams that had a row before this run: only these can have bureau rows stored. */
  private readonly stored = new Set<string>()
  private readonly versions: BatchRows['versions'] = []
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
    const [row] = await tx.query<{ tasks: StoredTaskRow[] }>(
      `select ${preloadedTasks(this.t, '$1::text[]')} as tasks`,
      [wanted],
    )
    this.preloaded(wanted, row?.tasks ?? [])
  }

  /** Takes the rows of `streamIds` as read (`preloadedTasks`): the streams without one have no task. */
  preloaded(streamIds: readonly string[], rows: readonly StoredTaskRow[]): void {
    for (const id of streamIds) this.tasks.set(id, null)
    for (const row of rows) this.tasks.set(row.stream_id, row)
  }

  async task(tx: SqlClient, streamId: string): Promise<StoredTaskRow | undefined> {
    if (!this.replay && !this.tasks.has(streamId)) await this.preload(tx, [streamId])
    return this.tasks.get(streamId) ?? undefined
  }

  /** The row after an event, recorded at `recordedAt`; `reassigned`: its bureau rows are replaced. */
  writeTask(row: StoredTaskRow, recordedAt: string, reassigned: boolean): void {
    if (!this.changed.has(row.stream_id) && this.tasks.get(row.stream_id)) this.stored.add(row.stream_id)
    this.tasks.set(row.stream_id, row)
    this.changed.add(row.stream_id)
    // The row itself, not a copy: a fold makes a new row for every event and never changes one.
    this.versions.push({ recorded_at: recordedAt, row })
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
    const rows: BatchRows = {
      tasks: [...this.changed].map((id) => this.tasks.get(id) as StoredTaskRow),
      versions: this.versions.splice(0),
      // A later assignment replaces the earlier one whole; every bureau a task was ever on is kept.
      replaced: [...this.assignments.keys()].filter((id) => this.stored.has(id)),
      bureauTasks: [...this.assignments].flatMap(([streamId, task]) =>
        rolesOf(task).map(([bureauId, role]) => [bureauId, streamId, role] as const),
      ),
      ever: this.ever.splice(0),
      activity: this.activity.splice(0),
    }
    this.changed.clear()
    this.stored.clear()
    this.assignments.clear()
    return this.replay ? replayWrites(this.t, rows) : liveWrites(this.t, rows)
  }
}
