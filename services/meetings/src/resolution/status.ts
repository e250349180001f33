import { unreachable } from '@coord/domain'
import type { ResolutionEffect } from '@coord/events/meetings'

export type ImplementationStatus = 'not_started' | 'in_progress' | 'done' | 'overdue'

/** What the status needs of a task the resolution concerns, as the planning service reports it. */
export interface TaskProgress {
  /** The planning service's task status: published, assigned, acknowledged, in_progress… */
  status: string
  deadline: string | null
  /** True once the task is closed out (销号), whatever `status` says. */
  closed?: boolean
}

const doneStatuses: readonly string[] = ['verified', 'closed']
const startedStatuses: readonly string[] = [
  'acknowledged',
  'in_progress',
  'completion_submitted',
  ...doneStatuses,
]
/** A task that owes no work now cannot be overdue: cancelled, or suspended by supervision. */
const pausedStatuses: readonly string[] = ['cancelled', 'suspended']

const isDone = (task: TaskProgress) => task.closed === true || doneStatuses.includes(task.status)

/**
 * Whether a resolution was carried out, as of `today` ('YYYY-MM-DD'), from the tasks it concerns
 * (the task it created, re-dated or reassigned). Done: every such task verified or closed out.
 * Overdue: one is past its deadline and not done. In progress: one was acknowledged or reported
 * on. Not started otherwise, also while the task is not visible yet. A recorded position is done
 * when adopted; a duty transfer is done from its effective date (the responsibility service owns
 * the list, so no task tells more).
 */
export function implementationStatus(
  effect: ResolutionEffect,
  tasks: readonly TaskProgress[],
  today: string,
): ImplementationStatus {
  switch (effect.kind) {
    case 'record-position':
      return 'done'
    case 'transfer-duty':
      return effect.effectiveDate <= today ? 'done' : 'not_started'
    case 'assign-work':
    case 'change-deadline':
    case 'change-responsibility':
      return workStatus(tasks, today)
    default:
      return unreachable(effect)
  }
}

function workStatus(tasks: readonly TaskProgress[], today: string): ImplementationStatus {
  if (tasks.length === 0) return 'not_started'
  if (tasks.every(isDone)) return 'done'
  const overdue = (task: TaskProgress) =>
    !isDone(task) && !pausedStatuses.includes(task.status) && task.deadline !== null && task.deadline < today
  if (tasks.some(overdue)) return 'overdue'
  if (tasks.some((task) => startedStatuses.includes(task.status) || task.closed === true))
    return 'in_progress'
  return 'not_started'
}
