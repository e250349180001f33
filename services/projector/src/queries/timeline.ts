import { taskStreamId } from '@coord/events'
import type { SqlClient } from '../db.ts'
import type { TableNames } from '../schema.ts'
import type { StoredActivityRow } from '../projections/writes.ts'

export interface TimelineFilter {
  bureauId?: string | undefined
  planId?: string | undefined
  /** A task id is a numbering path within its plan, so it comes with `planId`. */
  taskId?: string | undefined
  meetingId?: string | undefined
  /** Entries per page; default 50, at most 500. */
  limit?: number | undefined
  /** Only entries before this position: the `next` of the previous page. */
  before?: number | undefined
}

/** A timeline row as read back: a bigint position may come as text. */
type ActivityRow = Omit<StoredActivityRow, 'position' | 'task_stream_id'> & { position: string | number }

/** The task's stream id, or '' (which no row holds) for ids no task can have. */
function streamOf(planId: string, taskId: string): string {
  try {
    return taskStreamId(planId, taskId)
  } catch {
    return ''
  }
}

/** What happened, newest first, for a bureau, a plan, a task or a meeting (or everything). */
export async function timeline(db: SqlClient, t: TableNames, filter: TimelineFilter) {
  const limit = filter.limit ?? 50
  const params: unknown[] = []
  const where: string[] = []
  const add = (condition: (n: string) => string, value: unknown) => {
    params.push(value)
    where.push(condition(`$${params.length}`))
  }
  if (filter.bureauId !== undefined) {
    add(
      (n) => `a.position in (select position from ${t.activity_bureau} where bureau_id = ${n})`,
      filter.bureauId,
    )
  }
  if (filter.planId !== undefined) add((n) => `a.plan_id = ${n}`, filter.planId)
  if (filter.taskId !== undefined) {
    add((n) => `a.task_id = ${n}`, filter.taskId)
    // A row names a task exactly when it names the task's stream: that key is indexed, so a task's
    // page is read from its own entries, not found among everyone's.
    add((n) => `a.task_stream_id = ${n}`, streamOf(filter.planId ?? '', filter.taskId))
  }
  if (filter.meetingId !== undefined) add((n) => `a.meeting_id = ${n}`, filter.meetingId)
  if (filter.before !== undefined) add((n) => `a.position < ${n}`, filter.before)
  params.push(limit + 1)
  const rows = await db.query<ActivityRow>(
    `select * from ${t.activity} a ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
     order by a.position desc limit $${params.length}`,
    params,
  )
  const entries = rows.slice(0, limit).map((row) => ({
    position: Number(row.position),
    type: row.type,
    streamId: row.stream_id,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    actor: row.actor,
    planId: row.plan_id,
    taskId: row.task_id,
    meetingId: row.meeting_id,
    bureauIds: row.bureau_ids,
    summary: row.summary,
  }))
  const last = entries.at(-1)
  return { entries, next: rows.length > limit && last ? last.position : null }
}
