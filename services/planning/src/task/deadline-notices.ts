import type { CommandMetadata } from '@coord/domain'
import { businessDay, daysBetween } from './calendar.ts'
import type { DeadlineNoticeCommand } from './task-commands.ts'
import type { Task } from './task.ts'
import { noticeableStatuses } from './task-guards.ts'

/** The actor the deadline watcher's commands carry unless the caller names another. */
export const deadlineWatcher: CommandMetadata['actor'] = { role: 'system', user: 'deadline-watcher' }

/**
 * The notices due for a task at `now`: DeadlineMissed once the deadline's business day has passed,
 * otherwise DeadlineApproaching within `leadDays` of it; none that this deadline value got already.
 * With the default actor, `decide` accepts every command returned for the same state and `now`, so a watcher can
 * send them as they are. A missed deadline gets no late "approaching" notice.
 */
export function deadlineNotices(
  state: Task,
  now: string,
  leadDays: number,
  actor: CommandMetadata['actor'] = deadlineWatcher,
): DeadlineNoticeCommand[] {
  if (state.status === 'none' || state.deadline === null || !noticeableStatuses.includes(state.status))
    return []
  const today = businessDay(now)
  if (today === undefined) throw new RangeError(`now is not an ISO date-time: ${now}`)
  const { deadline, notices } = state
  const daysLeft = daysBetween(today, deadline)
  const metadata = { actor, now }
  if (daysLeft < 0) {
    return notices.missed.includes(deadline)
      ? []
      : [{ type: 'MarkDeadlineMissed', data: { deadline }, metadata }]
  }
  if (daysLeft <= leadDays && !notices.approaching.includes(deadline)) {
    return [{ type: 'MarkDeadlineApproaching', data: { deadline }, metadata }]
  }
  return []
}
