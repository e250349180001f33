import { daysBetween } from '@coord/planning/domain'
import { projectorErrors } from '../errors.ts'

/** 'YYYY-MM-DD' naming a real day. */
export function isDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const time = Date.parse(`${value}T00:00:00Z`)
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === value
}

export function checkedDay(value: unknown, name: string): string {
  if (!isDay(value)) throw projectorErrors.make('INVALID_QUERY', `${name} must be a day YYYY-MM-DD`)
  return value
}

const instantPattern = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/

/**
 * An instant as the UTC ISO string the events' `recordedAt` use, from an ISO timestamp with a
 * zone, or a day `YYYY-MM-DD` meaning the end of that day in China Standard Time.
 */
export function checkedInstant(value: unknown, name: string): string {
  if (typeof value !== 'string' || !instantPattern.test(value) || !isDay(value.slice(0, 10))) {
    throw projectorErrors.make(
      'INVALID_QUERY',
      `${name} must be an ISO timestamp with a zone, or a day YYYY-MM-DD`,
    )
  }
  const instant = isDay(value) ? Date.parse(`${value}T23:59:59.999+08:00`) : Date.parse(value)
  if (!Number.isFinite(instant)) throw projectorErrors.make('INVALID_QUERY', `${name} is not a real instant`)
  return new Date(instant).toISOString()
}

/** An id as events carry them: a string of 1 to 200 characters, none of them NUL (no text holds one). */
export function checkedId(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '' || value.length > 200) {
    throw projectorErrors.make('INVALID_QUERY', `${name} must be a string of 1 to 200 characters`)
  }
  if (value.includes('\u0000')) throw projectorErrors.make('INVALID_QUERY', `${name} must not contain NUL`)
  return value
}

/** Statuses that owe no more work: nothing done or paused is overdue. */
const settledStatuses: readonly string[] = ['verified', 'closed', 'cancelled', 'suspended']

/** Days past the deadline as of `today` (calendar days in China Standard Time); 0 when not overdue. */
export function daysOverdue(status: string, deadline: string | null, today: string): number {
  if (deadline === null || settledStatuses.includes(status) || deadline >= today) return 0
  return daysBetween(deadline, today)
}

export type TaskBasisView =
  | { kind: 'plan-clause'; clause: string | null }
  | { kind: 'resolution'; meetingId: string | null; resolutionId: string | null }

export interface TaskRow {
  stream_id: string
  plan_id: string
  task_id: string
  title: string
  section_path: string[]
  basis_kind: string
  basis_clause: string | null
  basis_meeting_id: string | null
  basis_resolution_id: string | null
  status: string
  resume_to: string | null
  leads: string[]
  partners: string[]
  deadline: string | null
  acknowledged: { bureauId: string; at: string }[]
  percent: number
  last_progress: { bureauId: string; percent: number; narrative: string; evidence: number; at: string } | null
  completion: { bureauId: string; summary: string; evidence: unknown; at: string } | null
  rejection: { reason: string; at: string } | null
  verification: { note: string; at: string } | null
  status_reason: string | null
  published_at: string
  closed_at: string | null
  updated_at: string
  position: string | number
}

/** The task table's columns a view reads. */
export const taskColumnNames = [
  'stream_id',
  'plan_id',
  'task_id',
  'title',
  'section_path',
  'basis_kind',
  'basis_clause',
  'basis_meeting_id',
  'basis_resolution_id',
  'status',
  'resume_to',
  'leads',
  'partners',
  'deadline',
  'acknowledged',
  'percent',
  'last_progress',
  'completion',
  'rejection',
  'verification',
  'status_reason',
  'published_at',
  'closed_at',
  'updated_at',
  'position',
] as const

/** The columns `taskView` reads, qualified by a table alias when one is given. */
export function taskColumns(alias?: string): string {
  return taskColumnNames.map((name) => (alias ? `${alias}.${name}` : name)).join(', ')
}

/** A task as read models answer it; `restricted` holds what only the bureaus on the task may see. */
export function taskView(row: TaskRow, today: string) {
  const basis: TaskBasisView =
    row.basis_kind === 'resolution'
      ? { kind: 'resolution', meetingId: row.basis_meeting_id, resolutionId: row.basis_resolution_id }
      : { kind: 'plan-clause', clause: row.basis_clause }
  return {
    streamId: row.stream_id,
    planId: row.plan_id,
    taskId: row.task_id,
    title: row.title,
    sectionPath: row.section_path,
    basis,
    status: row.status,
    resumeTo: row.resume_to,
    statusReason: row.status_reason,
    leads: row.leads,
    partners: row.partners,
    deadline: row.deadline,
    daysOverdue: daysOverdue(row.status, row.deadline, today),
    acknowledged: row.acknowledged,
    percent: row.percent,
    lastProgress: row.last_progress,
    publishedAt: row.published_at,
    closedAt: row.closed_at,
    updatedAt: row.updated_at,
    position: Number(row.position),
    restricted: {
      completion: row.completion,
      rejection: row.rejection,
      verification: row.verification,
    },
  }
}

export type TaskView = ReturnType<typeof taskView>

export interface StatusCounts {
  total: number
  overdue: number
  byStatus: Record<string, number>
}

export function countByStatus(tasks: readonly { status: string; daysOverdue: number }[]): StatusCounts {
  const byStatus: Record<string, number> = {}
  for (const task of tasks) byStatus[task.status] = (byStatus[task.status] ?? 0) + 1
  return { total: tasks.length, overdue: tasks.filter((task) => task.daysOverdue > 0).length, byStatus }
}
