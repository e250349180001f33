import type { TaskEvent } from '@coord/events'
import type { RecordedEvent } from '@coord/eventstore'
import { taskDecider, type ExistingTask, type Task } from '@coord/planning/domain'
import type { TaskRow } from '../queries/views.ts'

/** What the task row keeps beside the domain state: who did what, when, and the restricted texts. */
type TaskExtras = Pick<
  TaskRow,
  | 'acknowledged'
  | 'last_progress'
  | 'completion'
  | 'rejection'
  | 'verification'
  | 'status_reason'
  | 'published_at'
  | 'closed_at'
>

/** A row of the task table, column for column (schema.ts), as `to_jsonb` renders it. */
export interface StoredTaskRow extends Omit<TaskRow, 'position'> {
  published_position: number
  events: number
  position: number
  state: ExistingTask
}

/** The columns an existing row keeps when a later event rewrites it. */
export const taskRowKept = ['stream_id', 'plan_id', 'task_id', 'published_at', 'published_position'] as const

/** One event folded into a task row: the row after it (null: no task yet) and what changed. */
export interface TaskStep {
  before: Task
  after: Task
  row: StoredTaskRow | null
  /** The leads or partners changed (or the task appeared): its bureau rows are replaced. */
  reassigned: boolean
}

/**
 * Folds one event of a task stream into its row with the planning service's own `evolve`, so a
 * status here is the status the command side decides on; the row adds times, the latest report
 * and the restricted texts (completion summary and evidence, rejection reason, verification note).
 */
export function nextTaskRow(
  previous: StoredTaskRow | undefined,
  event: RecordedEvent,
  typed: TaskEvent,
): TaskStep {
  const before: Task = previous?.state ?? taskDecider.initialState
  const after = taskDecider.evolve(before, typed)
  if (after.status === 'none') return { before, after, row: null, reassigned: false }
  const at = event.metadata.occurredAt
  const extras = nextExtras(previous, after, typed, at)
  const basis = after.basis
  // Every column named, not `...extras`: V8 (Node 20) took about 25 µs per event to spread the
  // extras into a literal of this many properties, more than the rest of the fold together.
  const row: StoredTaskRow = {
    acknowledged: extras.acknowledged,
    last_progress: extras.last_progress,
    completion: extras.completion,
    rejection: extras.rejection,
    verification: extras.verification,
    status_reason: extras.status_reason,
    published_at: extras.published_at,
    closed_at: extras.closed_at,
    stream_id: event.streamId,
    plan_id: previous?.plan_id ?? after.planId,
    task_id: previous?.task_id ?? after.taskId,
    title: after.title,
    section_path: after.sectionPath,
    basis_kind: basis.kind,
    basis_clause: basis.kind === 'plan-clause' ? basis.clause : null,
    basis_meeting_id: basis.kind === 'resolution' ? basis.meetingId : null,
    basis_resolution_id: basis.kind === 'resolution' ? basis.resolutionId : null,
    status: after.status,
    resume_to: after.status === 'suspended' ? after.resumeTo : null,
    leads: after.leads,
    partners: after.partners,
    deadline: after.deadline ?? null,
    percent: percentOf(after, extras),
    published_position: previous?.published_position ?? event.position,
    updated_at: at,
    events: (previous?.events ?? 0) + 1,
    position: event.position,
    state: after,
  }
  const reassigned = before.status === 'none' || !sameAssignment(before, after)
  return { before, after, row, reassigned }
}

/** The task's lead and partner rows: a partner that also leads is filed as lead only. */
export function rolesOf(task: ExistingTask): [bureauId: string, role: 'lead' | 'partner'][] {
  return [
    ...task.leads.map((bureauId) => [bureauId, 'lead'] as [string, 'lead']),
    ...task.partners
      .filter((p) => !task.leads.includes(p))
      .map((bureauId) => [bureauId, 'partner'] as [string, 'partner']),
  ]
}

function sameAssignment(a: ExistingTask, b: ExistingTask): boolean {
  return JSON.stringify([a.leads, a.partners]) === JSON.stringify([b.leads, b.partners])
}

function nextExtras(
  row: StoredTaskRow | undefined,
  after: ExistingTask,
  event: TaskEvent,
  at: string,
): TaskExtras {
  const previous: TaskExtras = row ?? {
    acknowledged: [],
    last_progress: null,
    completion: null,
    rejection: null,
    verification: null,
    status_reason: null,
    published_at: at,
    closed_at: null,
  }
  // A lead that is replaced leaves acknowledgedBy; the time each remaining one signed is kept.
  const acknowledged = after.acknowledgedBy.map(
    (bureauId) => previous.acknowledged.find((a) => a.bureauId === bureauId) ?? { bureauId, at },
  )
  const next: TaskExtras = {
    acknowledged,
    last_progress: previous.last_progress,
    completion: previous.completion,
    rejection: previous.rejection,
    verification: previous.verification,
    status_reason: previous.status_reason,
    published_at: previous.published_at,
    closed_at: previous.closed_at,
  }
  switch (event.type) {
    case 'ProgressReported': {
      const { bureauId, percent, narrative, evidence } = event.data
      return { ...next, last_progress: { bureauId, percent, narrative, evidence: evidence.length, at } }
    }
    case 'CompletionSubmitted': {
      const { bureauId, summary, evidence } = event.data
      return { ...next, completion: { bureauId, summary, evidence, at } }
    }
    case 'CompletionRejected':
      return { ...next, rejection: { reason: event.data.reason, at } }
    case 'CompletionVerified':
      return { ...next, verification: { note: event.data.note, at } }
    case 'TaskClosed':
      return { ...next, closed_at: at }
    case 'TaskSuspended':
    case 'TaskResumed':
    case 'TaskCancelled':
      return { ...next, status_reason: event.data.reason }
    default:
      return next
  }
}

/** The task's progress: the latest percentage reported, 100 once verified or closed out. */
function percentOf(task: ExistingTask, extras: TaskExtras): number {
  if (task.status === 'verified' || task.status === 'closed') return 100
  return extras.last_progress?.percent ?? 0
}
