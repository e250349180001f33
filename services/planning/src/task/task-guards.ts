import type { CommandActor } from '@coord/domain'
import type { TaskBasis } from '@coord/events'
import { actingBureau, fail, type PlanningErrorCode } from '../domain-errors.ts'
import { resumableStatuses, type ExistingTask, type Task, type TaskStatus } from './task.ts'

/** Statuses in which the task can still be reshaped: reassigned, given a new deadline, cancelled. */
export const openStatuses: readonly TaskStatus[] = [...resumableStatuses, 'suspended']

/** Statuses in which a deadline notice means something: the bureaus still owe the work. */
export const noticeableStatuses: readonly TaskStatus[] = [
  'published',
  'assigned',
  'acknowledged',
  'in_progress',
]

// The code for "not allowed now" names what the task's status lacks or blocks, so a client learns
// what has to happen first.
const blockedBy: Record<TaskStatus, PlanningErrorCode> = {
  published: 'TASK_NOT_ASSIGNED',
  assigned: 'TASK_NOT_ACKNOWLEDGED',
  acknowledged: 'COMPLETION_NOT_SUBMITTED',
  in_progress: 'COMPLETION_NOT_SUBMITTED',
  completion_submitted: 'COMPLETION_PENDING',
  verified: 'TASK_VERIFIED',
  closed: 'TASK_CLOSED',
  cancelled: 'TASK_CANCELLED',
  suspended: 'TASK_SUSPENDED',
}

export function existingTask(state: Task): ExistingTask {
  if (state.status === 'none') throw fail('TASK_NOT_FOUND')
  return state
}

/**
 * Refuses a command the task's status does not allow. `otherwise` replaces the status's own code,
 * except that a closed or cancelled task always says so.
 */
export function requireStatus(
  state: ExistingTask,
  allowed: readonly TaskStatus[],
  otherwise?: PlanningErrorCode,
): void {
  const { status } = state
  if (allowed.includes(status)) return
  const final = status === 'closed' || status === 'cancelled'
  throw fail(otherwise !== undefined && !final ? otherwise : blockedBy[status], `the task is ${status}`)
}

type Role = CommandActor['role']

/**
 * Who may shape a task (publish, assign, set its deadline): the plan office and the platform's
 * own process managers always, the joint-meeting secretariat for tasks from its resolutions, and
 * any `extra` roles the command admits.
 */
export function requireManager(
  actor: CommandActor,
  basis: TaskBasis | undefined,
  action: string,
  extra: readonly Role[] = [],
): void {
  if (actor.role === 'planner' || actor.role === 'system' || extra.includes(actor.role)) return
  if (actor.role === 'secretariat' && basis?.kind === 'resolution') return
  throw fail('FORBIDDEN_ROLE', `${actor.role} may not ${action}`)
}

/** The acting bureau, if it is a lead or partner of the task. */
export function memberBureau(actor: CommandActor, state: ExistingTask, action: string): string {
  const bureauId = actingBureau(actor, action)
  if (!state.leads.includes(bureauId) && !state.partners.includes(bureauId)) {
    throw fail('FORBIDDEN_BUREAU', `${bureauId} is neither lead nor partner of ${state.taskId}`)
  }
  return bureauId
}

/** The acting bureau, if it is a lead of the task. */
export function leadBureau(actor: CommandActor, state: ExistingTask, action: string): string {
  const bureauId = memberBureau(actor, state, action)
  if (!state.leads.includes(bureauId))
    throw fail('NOT_LEAD_BUREAU', `${bureauId} is a partner of ${state.taskId}`)
  return bureauId
}
