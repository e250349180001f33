import type {
  CompletionRejected,
  CompletionSubmitted,
  CompletionVerified,
  ProgressReported,
  TaskCancelled,
  TaskClosed,
  TaskResumed,
  TaskSuspended,
} from '@coord/events'
import { fail, requireEvidence, requireReason, requireRole, requireText } from '../domain-errors.ts'
import type {
  CancelTask,
  CloseTask,
  RejectCompletion,
  ReportProgress,
  ResumeTask,
  SubmitCompletion,
  SuspendTask,
  VerifyCompletion,
} from './task-commands.ts'
import { resumableStatuses, type Task } from './task.ts'
import { existingTask, leadBureau, memberBureau, requireStatus } from './task-guards.ts'

/** Leads and partners report their own share; a new report replaces the bureau's earlier figure. */
export function reportProgress(command: ReportProgress, state: Task): ProgressReported[] {
  const task = existingTask(state)
  const bureauId = memberBureau(command.metadata.actor, task, 'report progress')
  const { percent } = command.data
  if (typeof percent !== 'number' || !(percent >= 0 && percent <= 100))
    throw fail('INVALID_PERCENT', String(percent))
  const narrative = requireText(command.data.narrative, 'narrative')
  const evidence = requireEvidence(command.data.evidence)
  requireStatus(task, ['assigned', 'acknowledged', 'in_progress'])
  return [{ type: 'ProgressReported', data: { bureauId, percent, narrative, evidence } }]
}

/** Completion (办结) comes from a lead that signed for the task. */
export function submitCompletion(command: SubmitCompletion, state: Task): CompletionSubmitted[] {
  const task = existingTask(state)
  const bureauId = leadBureau(command.metadata.actor, task, 'submit completion')
  const summary = requireText(command.data.summary, 'summary')
  const evidence = requireEvidence(command.data.evidence)
  requireStatus(task, ['acknowledged', 'in_progress'])
  if (!task.acknowledgedBy.includes(bureauId)) throw fail('TASK_NOT_ACKNOWLEDGED', bureauId)
  return [{ type: 'CompletionSubmitted', data: { bureauId, summary, evidence } }]
}

export function verifyCompletion(command: VerifyCompletion, state: Task): CompletionVerified[] {
  requireRole(command.metadata.actor, ['supervisor'], 'verify completion')
  const task = existingTask(state)
  const note = command.data.note ?? ''
  if (typeof note !== 'string') throw fail('INVALID_VALUE', 'note must be a string')
  requireStatus(task, ['completion_submitted'])
  return [{ type: 'CompletionVerified', data: { note } }]
}

/** A rejected completion sends the task back to work. */
export function rejectCompletion(command: RejectCompletion, state: Task): CompletionRejected[] {
  requireRole(command.metadata.actor, ['supervisor'], 'reject completion')
  const task = existingTask(state)
  const reason = requireReason(command.data.reason)
  requireStatus(task, ['completion_submitted'])
  return [{ type: 'CompletionRejected', data: { reason } }]
}

/** Close-out (销号) only follows a verified completion; afterwards nothing changes the task. */
export function closeTask(command: CloseTask, state: Task): TaskClosed[] {
  requireRole(command.metadata.actor, ['supervisor'], 'close a task')
  requireStatus(existingTask(state), ['verified'])
  return [{ type: 'TaskClosed', data: {} }]
}

export function suspendTask(command: SuspendTask, state: Task): TaskSuspended[] {
  requireRole(command.metadata.actor, ['supervisor', 'planner'], 'suspend a task')
  const task = existingTask(state)
  const reason = requireReason(command.data.reason)
  requireStatus(task, resumableStatuses)
  return [{ type: 'TaskSuspended', data: { reason } }]
}

export function resumeTask(command: ResumeTask, state: Task): TaskResumed[] {
  requireRole(command.metadata.actor, ['supervisor', 'planner'], 'resume a task')
  const task = existingTask(state)
  const reason = requireReason(command.data.reason)
  requireStatus(task, ['suspended'], 'TASK_NOT_SUSPENDED')
  return [{ type: 'TaskResumed', data: { reason } }]
}

/** Any task not closed out can be cancelled, a verified one included: close-out is what is final. */
export function cancelTask(command: CancelTask, state: Task): TaskCancelled[] {
  requireRole(command.metadata.actor, ['planner'], 'cancel a task')
  const task = existingTask(state)
  const reason = requireReason(command.data.reason)
  requireStatus(task, [...resumableStatuses, 'suspended', 'verified'])
  return [{ type: 'TaskCancelled', data: { reason } }]
}
