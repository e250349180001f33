import type { ResolutionEffect } from '@coord/events/meetings'
import { implementationStatus, type ImplementationStatus } from '@coord/meetings/domain'
import type { SqlClient } from '../db.ts'
import type { TableNames } from '../schema.ts'
import { taskColumns, taskView, type TaskRow, type TaskView } from './views.ts'

interface MeetingRow {
  meeting_id: string
  session: number
  date: string
  convener: string
  agenda: string[]
  status: string
  minutes_number: string | null
  minutes_issued_on: string | null
  closed_at: string | null
  present: number
  absent: number
  delegated: number
  resolutions: number
}

interface ResolutionRow {
  resolution_id: string
  version: number
  text: string
  effect: ResolutionEffect
  reason: string | null
  superseded: unknown[]
  adopted_at: string
  corrected_at: string | null
}

const summaryColumns = (t: TableNames) => `m.meeting_id, m.session, m.date, m.convener, m.agenda, m.status,
  m.minutes_number, m.minutes_issued_on, m.closed_at,
  (select count(*) from ${t.attendance} a where a.meeting_id = m.meeting_id and a.status = 'present')::int as present,
  (select count(*) from ${t.attendance} a where a.meeting_id = m.meeting_id and a.status = 'absent')::int as absent,
  (select count(*) from ${t.attendance} a where a.meeting_id = m.meeting_id and a.status = 'delegated')::int as delegated,
  (select count(*) from ${t.resolution} r where r.meeting_id = m.meeting_id)::int as resolutions`

function meetingSummary(row: MeetingRow) {
  return {
    meetingId: row.meeting_id,
    session: row.session,
    date: row.date,
    convener: row.convener,
    agenda: row.agenda,
    status: row.status,
    minutes: row.minutes_number
      ? { minutesNumber: row.minutes_number, issuedOn: row.minutes_issued_on }
      : null,
    closedAt: row.closed_at,
    attendance: { present: row.present, absent: row.absent, delegated: row.delegated },
    resolutions: row.resolutions,
  }
}

/** Every joint meeting, by date and session, with attendance and resolution counts. */
export async function meetings(db: SqlClient, t: TableNames) {
  const rows = await db.query<MeetingRow>(
    `select ${summaryColumns(t)} from ${t.meeting} m order by m.date, m.session, m.meeting_id`,
  )
  return rows.map(meetingSummary)
}

/**
 * One meeting: attendance, and each resolution in its current version with how many it superseded,
 * the tasks it concerns and whether it was carried out as of `today`.
 */
export async function meeting(db: SqlClient, t: TableNames, meetingId: string, today: string) {
  const [row] = await db.query<MeetingRow>(
    `select ${summaryColumns(t)} from ${t.meeting} m where m.meeting_id = $1`,
    [meetingId],
  )
  if (!row) return null
  const attendance = await db.query<{
    bureau_id: string
    status: string
    delegate: string | null
    recorded_at: string
  }>(
    `select bureau_id, status, delegate, recorded_at from ${t.attendance} where meeting_id = $1 order by ord`,
    [meetingId],
  )
  const resolutions = await db.query<ResolutionRow>(
    `select resolution_id, version, text, effect, reason, superseded, adopted_at, corrected_at
     from ${t.resolution} where meeting_id = $1 order by ord`,
    [meetingId],
  )
  const produced = await db.query<TaskRow>(
    `select ${taskColumns()} from ${t.task} where basis_meeting_id = $1 order by published_position`,
    [meetingId],
  )
  const views = []
  for (const resolution of resolutions) {
    const tasks = await tasksConcerned(db, t, resolution, produced)
    views.push(
      resolutionView(
        resolution,
        tasks.map((task) => taskView(task, today)),
        today,
      ),
    )
  }
  return {
    ...meetingSummary(row),
    today,
    attendance: attendance.map((a) => ({
      bureauId: a.bureau_id,
      status: a.status,
      delegate: a.delegate,
      recordedAt: a.recorded_at,
    })),
    resolutions: views,
  }
}

/** The task an assign-work resolution created, or the task a change names. */
async function tasksConcerned(
  db: SqlClient,
  t: TableNames,
  resolution: ResolutionRow,
  produced: TaskRow[],
): Promise<TaskRow[]> {
  const effect = resolution.effect
  if (effect.kind === 'assign-work') {
    return produced.filter((task) => task.basis_resolution_id === resolution.resolution_id)
  }
  if (effect.kind === 'change-deadline' || effect.kind === 'change-responsibility') {
    return db.query<TaskRow>(`select ${taskColumns()} from ${t.task} where plan_id = $1 and task_id = $2`, [
      effect.planId,
      effect.taskId,
    ])
  }
  return []
}

function resolutionView(resolution: ResolutionRow, tasks: TaskView[], today: string) {
  const progress = tasks.map((task) => ({
    status: task.status,
    deadline: task.deadline,
    closed: task.status === 'closed',
  }))
  const status: ImplementationStatus = implementationStatus(resolution.effect, progress, today)
  return {
    resolutionId: resolution.resolution_id,
    version: resolution.version,
    text: resolution.text,
    effect: resolution.effect,
    reason: resolution.reason,
    supersededCount: resolution.superseded.length,
    superseded: resolution.superseded,
    adoptedAt: resolution.adopted_at,
    correctedAt: resolution.corrected_at,
    tasks: tasks.map(({ restricted: _restricted, ...task }) => task),
    implementationStatus: status,
  }
}
