import type { Command } from '@coord/domain'
import type { AssignmentCause, Evidence, NoData, TaskBasis } from '@coord/events'

// Commands name what the actor wants done. Only PublishTask carries the task's ids: every other
// command is addressed by the stream the edge loads for it.

export type PublishTask = Command<
  'PublishTask',
  { planId: string; taskId: string; title: string; sectionPath: string[]; basis: TaskBasis }
>
/** Replaces the whole assignment; order matters, the first lead is the one that answers for it. */
export type AssignTask = Command<
  'AssignTask',
  { leads: string[]; partners: string[]; cause?: AssignmentCause }
>
export type AcknowledgeTask = Command<'AcknowledgeTask', NoData>
export type SetDeadline = Command<'SetDeadline', { deadline: string }>
export type ChangeDeadline = Command<'ChangeDeadline', { deadline: string; reason: string }>
export type ReportProgress = Command<
  'ReportProgress',
  { percent: number; narrative: string; evidence: Evidence[] }
>
export type SubmitCompletion = Command<'SubmitCompletion', { summary: string; evidence: Evidence[] }>
export type VerifyCompletion = Command<'VerifyCompletion', { note?: string }>
export type RejectCompletion = Command<'RejectCompletion', { reason: string }>
export type CloseTask = Command<'CloseTask', NoData>
export type SuspendTask = Command<'SuspendTask', { reason: string }>
export type ResumeTask = Command<'ResumeTask', { reason: string }>
export type CancelTask = Command<'CancelTask', { reason: string }>
/** Sent by the deadline watcher; `deadline` is the value it saw, so a stale notice is refused. */
export type MarkDeadlineApproaching = Command<'MarkDeadlineApproaching', { deadline: string }>
export type MarkDeadlineMissed = Command<'MarkDeadlineMissed', { deadline: string }>

export type DeadlineNoticeCommand = MarkDeadlineApproaching | MarkDeadlineMissed

export type TaskCommand =
  | PublishTask
  | AssignTask
  | AcknowledgeTask
  | SetDeadline
  | ChangeDeadline
  | ReportProgress
  | SubmitCompletion
  | VerifyCompletion
  | RejectCompletion
  | CloseTask
  | SuspendTask
  | ResumeTask
  | CancelTask
  | DeadlineNoticeCommand
