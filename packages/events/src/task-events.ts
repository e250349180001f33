import type { EventOf, NoData } from './event-of.ts'

/** Why a task exists: a clause of a plan, or a resolution (议定事项) of a joint meeting. */
export type TaskBasis =
  | { kind: 'plan-clause'; planId: string; clause: string }
  | { kind: 'resolution'; meetingId: string; resolutionId: string }

/** What led to an assignment, so a reader can follow a reorganisation or resolution back. */
export interface AssignmentCause {
  kind: 'reorganisation' | 'resolution' | 'plan'
  id: string
}

/** A document or record backing a report: a display name and a reference to where it is kept. */
export interface Evidence {
  name: string
  ref: string
}

export type TaskPublished = EventOf<
  'TaskPublished',
  {
    planId: string
    /** The numbering path in the plan, e.g. '三.(二).7'. */
    taskId: string
    title: string
    /** The ordinals of the enclosing sections, outermost first, e.g. ['三', '(二)']. */
    sectionPath: string[]
    basis: TaskBasis
  }
>

/** Lead (牵头) and partner (配合) bureaus; a later assignment replaces the earlier one whole. */
export type TaskAssigned = EventOf<
  'TaskAssigned',
  { leads: string[]; partners: string[]; cause?: AssignmentCause }
>

/** A lead bureau signed for the task (签收). */
export type TaskAcknowledged = EventOf<'TaskAcknowledged', { bureauId: string }>

/** Deadlines are calendar days, 'YYYY-MM-DD', in China Standard Time. */
export type DeadlineSet = EventOf<'DeadlineSet', { deadline: string }>

export type DeadlineChanged = EventOf<'DeadlineChanged', { from: string; to: string; reason: string }>

export type ProgressReported = EventOf<
  'ProgressReported',
  { bureauId: string; percent: number; narrative: string; evidence: Evidence[] }
>

export type CompletionSubmitted = EventOf<
  'CompletionSubmitted',
  { bureauId: string; summary: string; evidence: Evidence[] }
>

export type CompletionVerified = EventOf<'CompletionVerified', { note: string }>

export type CompletionRejected = EventOf<'CompletionRejected', { reason: string }>

/** Close-out (销号): the task leaves the supervision list for good. */
export type TaskClosed = EventOf<'TaskClosed', NoData>

export type TaskSuspended = EventOf<'TaskSuspended', { reason: string }>

export type TaskResumed = EventOf<'TaskResumed', { reason: string }>

export type TaskCancelled = EventOf<'TaskCancelled', { reason: string }>

/** The deadline watcher's reminder (催办); at most one per task and deadline value. */
export type DeadlineApproaching = EventOf<'DeadlineApproaching', { deadline: string; daysLeft: number }>

/** The deadline passed with the task still open; at most one per task and deadline value. */
export type DeadlineMissed = EventOf<'DeadlineMissed', { deadline: string }>

export type TaskEvent =
  | TaskPublished
  | TaskAssigned
  | TaskAcknowledged
  | DeadlineSet
  | DeadlineChanged
  | ProgressReported
  | CompletionSubmitted
  | CompletionVerified
  | CompletionRejected
  | TaskClosed
  | TaskSuspended
  | TaskResumed
  | TaskCancelled
  | DeadlineApproaching
  | DeadlineMissed

export type TaskEventType = TaskEvent['type']
