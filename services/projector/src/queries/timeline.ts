import type { SqlClient } from '../db.ts'
import type { Tables } from '../schema.ts'

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

interface ActivityRow {
  position: string | number
  stream_id: string
  type: string
  occurred_at: string
  recorded_at: string
  actor: { role: string; bureauId: string | null; user: string }
  plan_id: string | null
  task_id: string | null
  meeting_id: string | null
  bureau_ids: string[]
  summary: string
}

/** What happened, newest first, for a bureau, a plan, a task or a meeting (or everything). */
export async function timeline(db: SqlClient, t: Tables, filter: TimelineFilter) {
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
  if (filter.taskId !== undefined) add((n) => `a.task_id = ${n}`, filter.taskId)
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
