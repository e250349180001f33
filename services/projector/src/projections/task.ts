import { isTaskEventType, parsePlanningStreamId, type TaskEvent } from '@coord/events'
import type { RecordedEvent } from '@coord/eventstore'
import { taskDecider, type ExistingTask, type Task } from '@coord/planning'
import type { SqlClient } from '../db.ts'
import type { Tables } from '../schema.ts'
import { ids, json, type Concern } from './types.ts'

interface Acknowledgement {
  bureauId: string
  at: string
}

/** What the task row keeps beside the domain state: who did what, when, and the restricted texts. */
interface TaskExtras {
  acknowledged: Acknowledgement[]
  last_progress: { bureauId: string; percent: number; narrative: string; evidence: number; at: string } | null
  completion: { bureauId: string; summary: string; evidence: unknown; at: string } | null
  rejection: { reason: string; at: string } | null
  verification: { note: string; at: string } | null
  status_reason: string | null
  published_at: string
  closed_at: string | null
}

type TaskRow = TaskExtras & { state: ExistingTask }

/**
 * The task model folds each task stream with the planning service's own `evolve`, so a status here
 * is the status the command side decides on; the row adds times, the latest report and the
 * restricted texts (completion summary and evidence, rejection reason, verification note).
 */
export async function projectTask(tx: SqlClient, t: Tables, event: RecordedEvent): Promise<Concern | null> {
  const stream = parsePlanningStreamId(event.streamId)
  if (stream?.kind !== 'task' || !isTaskEventType(event.type)) return null
  const [row] = await tx.query<TaskRow>(
    `select state, acknowledged, last_progress, completion, rejection, verification, status_reason,
       published_at, closed_at from ${t.task} where stream_id = $1`,
    [event.streamId],
  )
  const before: Task = row?.state ?? taskDecider.initialState
  const typed = { type: event.type, data: event.data } as TaskEvent
  const after = taskDecider.evolve(before, typed)
  const concern: Concern = {
    bureauIds: ids(bureausOf(before), bureausOf(after), [actingBureau(typed)]),
    planId: stream.planId,
    taskId: stream.taskId,
    taskStreamId: event.streamId,
  }
  if (after.status === 'none') return concern
  const extras = nextExtras(row, after, typed, event.metadata.occurredAt)
  await writeTask(tx, t, event, after, extras)
  if (before.status === 'none' || !sameAssignment(before, after)) await writeBureauTasks(tx, t, event, after)
  return concern
}

function bureausOf(task: Task): string[] {
  return task.status === 'none' ? [] : [...task.leads, ...task.partners]
}

function actingBureau(event: TaskEvent): string | undefined {
  const data = event.data as { bureauId?: unknown }
  return typeof data.bureauId === 'string' ? data.bureauId : undefined
}

function sameAssignment(a: ExistingTask, b: ExistingTask): boolean {
  return json([a.leads, a.partners]) === json([b.leads, b.partners])
}

function nextExtras(row: TaskRow | undefined, after: ExistingTask, event: TaskEvent, at: string): TaskExtras {
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
  const next = { ...previous, acknowledged }
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

async function writeTask(
  tx: SqlClient,
  t: Tables,
  event: RecordedEvent,
  task: ExistingTask,
  extras: TaskExtras,
): Promise<void> {
  const basis = task.basis
  // The upsert and the temporal version in one statement: the version is the row as it now stands
  // (without the domain state, which views never show) at this event's position and recording
  // time; accountability as of an instant reads the last version recorded up to it.
  await tx.query(
    `with written as (insert into ${t.task} (stream_id, plan_id, task_id, title, section_path, basis_kind, basis_clause,
       basis_meeting_id, basis_resolution_id, status, resume_to, leads, partners, deadline, acknowledged,
       percent, last_progress, completion, rejection, verification, status_reason, published_at,
       published_position, closed_at, updated_at, events, position, state)
     values ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12::jsonb, $13::jsonb, $14, $15::jsonb,
       $16, $17::jsonb, $18::jsonb, $19::jsonb, $20::jsonb, $21, $22, $25, $23, $24, 1, $25, $26::jsonb)
     on conflict (stream_id) do update set title = excluded.title, section_path = excluded.section_path,
       basis_kind = excluded.basis_kind, basis_clause = excluded.basis_clause,
       basis_meeting_id = excluded.basis_meeting_id, basis_resolution_id = excluded.basis_resolution_id,
       status = excluded.status, resume_to = excluded.resume_to, leads = excluded.leads,
       partners = excluded.partners, deadline = excluded.deadline, acknowledged = excluded.acknowledged,
       percent = excluded.percent, last_progress = excluded.last_progress, completion = excluded.completion,
       rejection = excluded.rejection, verification = excluded.verification,
       status_reason = excluded.status_reason, closed_at = excluded.closed_at,
       updated_at = excluded.updated_at, events = ${t.task}.events + 1, position = excluded.position,
       state = excluded.state
     returning *)
     insert into ${t.task_version} (stream_id, position, recorded_at, row)
     select stream_id, position, $27, to_jsonb(written) - 'state' from written`,
    [
      event.streamId,
      task.planId,
      task.taskId,
      task.title,
      json(task.sectionPath),
      basis.kind,
      basis.kind === 'plan-clause' ? basis.clause : null,
      basis.kind === 'resolution' ? basis.meetingId : null,
      basis.kind === 'resolution' ? basis.resolutionId : null,
      task.status,
      task.status === 'suspended' ? task.resumeTo : null,
      json(task.leads),
      json(task.partners),
      task.deadline,
      json(extras.acknowledged),
      percentOf(task, extras),
      json(extras.last_progress),
      json(extras.completion),
      json(extras.rejection),
      json(extras.verification),
      extras.status_reason,
      extras.published_at,
      extras.closed_at,
      event.metadata.occurredAt,
      event.position,
      json(task),
      event.metadata.recordedAt,
    ],
  )
}

/** Replaces the task's lead and partner rows: a later assignment replaces the earlier one whole. */
async function writeBureauTasks(tx: SqlClient, t: Tables, event: RecordedEvent, task: ExistingTask) {
  await tx.query(`delete from ${t.bureau_task} where stream_id = $1`, [event.streamId])
  const roles = [
    ...task.leads.map((bureauId) => [bureauId, 'lead'] as const),
    ...task.partners.filter((p) => !task.leads.includes(p)).map((bureauId) => [bureauId, 'partner'] as const),
  ]
  for (const [bureauId, role] of roles) {
    await tx.query(
      `insert into ${t.bureau_task} (bureau_id, stream_id, role) values ($1, $2, $3)
       on conflict (bureau_id, stream_id) do nothing`,
      [bureauId, event.streamId, role],
    )
    await tx.query(
      `insert into ${t.bureau_task_ever} (bureau_id, stream_id) values ($1, $2)
       on conflict (bureau_id, stream_id) do nothing`,
      [bureauId, event.streamId],
    )
  }
}
