import type { DeadlineApproaching, DeadlineMissed } from '@coord/events'
import { fail, requireDay, requireRole } from '../domain-errors.ts'
import { businessDay, daysBetween } from './calendar.ts'
import type { DeadlineNoticeCommand, MarkDeadlineApproaching, MarkDeadlineMissed } from './task-commands.ts'
import type { ExistingTask, Task } from './task.ts'
import { existingTask, noticeableStatuses, requireStatus } from './task-guards.ts'

interface DueNotice {
  task: ExistingTask
  deadline: string
  /** Days from the business day of `now` to the deadline; negative once it has passed. */
  daysLeft: number
  /** True when this deadline value already got this kind of notice. */
  sent: boolean
}

/**
 * What both notices check: only the platform's watcher sends them, for the deadline the task has
 * now, while the bureaus still owe the work.
 */
function dueNotice(command: DeadlineNoticeCommand, state: Task, kind: 'approaching' | 'missed'): DueNotice {
  requireRole(command.metadata.actor, ['system'], 'send deadline notices')
  const task = existingTask(state)
  const deadline = requireDay(command.data.deadline, 'deadline')
  const today = businessDay(command.metadata.now)
  if (today === undefined) throw fail('INVALID_DATE', `now: ${command.metadata.now}`)
  if (task.deadline === null) throw fail('NO_DEADLINE')
  if (task.deadline !== deadline) throw fail('DEADLINE_MISMATCH', `the deadline is ${task.deadline}`)
  const sent = task.notices[kind].includes(deadline)
  // A notice sent already answers a repeat with nothing, whatever the status is now, so a
  // watcher that restarts and resends stays harmless.
  if (!sent) requireStatus(task, noticeableStatuses)
  return { task, deadline, daysLeft: daysBetween(today, deadline), sent }
}

export function markDeadlineApproaching(
  command: MarkDeadlineApproaching,
  state: Task,
): DeadlineApproaching[] {
  const { deadline, daysLeft, sent } = dueNotice(command, state, 'approaching')
  if (sent) return []
  if (daysLeft < 0) throw fail('DEADLINE_PASSED', deadline)
  return [{ type: 'DeadlineApproaching', data: { deadline, daysLeft } }]
}

export function markDeadlineMissed(command: MarkDeadlineMissed, state: Task): DeadlineMissed[] {
  const { deadline, daysLeft, sent } = dueNotice(command, state, 'missed')
  if (sent) return []
  if (daysLeft >= 0) throw fail('DEADLINE_NOT_PASSED', deadline)
  return [{ type: 'DeadlineMissed', data: { deadline } }]
}
