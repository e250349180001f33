import { unreachable } from '@coord/domain'
import type { TaskEvent } from '@coord/events'
import { acknowledgeTask, assignTask, changeDeadline, publishTask, setDeadline } from './assignment.decide.ts'
import { markDeadlineApproaching, markDeadlineMissed } from './deadline.decide.ts'
import type { TaskCommand } from './task-commands.ts'
import type { Task } from './task.ts'
import {
  cancelTask,
  closeTask,
  rejectCompletion,
  reportProgress,
  resumeTask,
  submitCompletion,
  suspendTask,
  verifyCompletion,
} from './work.decide.ts'

export type * from './task-commands.ts'

/**
 * The Task aggregate's decisions. Each command has its own pure function: the shaping of the
 * task in assignment.decide.ts, the work on it in work.decide.ts, the watcher's notices in
 * deadline.decide.ts. Authorisation is decided here too, from the command's actor.
 */
export function decide(command: TaskCommand, state: Task): TaskEvent[] {
  switch (command.type) {
    case 'PublishTask':
      return publishTask(command, state)
    case 'AssignTask':
      return assignTask(command, state)
    case 'AcknowledgeTask':
      return acknowledgeTask(command, state)
    case 'SetDeadline':
      return setDeadline(command, state)
    case 'ChangeDeadline':
      return changeDeadline(command, state)
    case 'ReportProgress':
      return reportProgress(command, state)
    case 'SubmitCompletion':
      return submitCompletion(command, state)
    case 'VerifyCompletion':
      return verifyCompletion(command, state)
    case 'RejectCompletion':
      return rejectCompletion(command, state)
    case 'CloseTask':
      return closeTask(command, state)
    case 'SuspendTask':
      return suspendTask(command, state)
    case 'ResumeTask':
      return resumeTask(command, state)
    case 'CancelTask':
      return cancelTask(command, state)
    case 'MarkDeadlineApproaching':
      return markDeadlineApproaching(command, state)
    case 'MarkDeadlineMissed':
      return markDeadlineMissed(command, state)
    default:
      return unreachable(command)
  }
}
