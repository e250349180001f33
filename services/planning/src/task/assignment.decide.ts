import type {
  AssignmentCause,
  DeadlineChanged,
  DeadlineSet,
  TaskAcknowledged,
  TaskAssigned,
  TaskBasis,
  TaskPublished,
} from '@coord/events'
import {
  fail,
  requireDay,
  requireReason,
  requireRole,
  requireText,
  requireTexts,
  sameJson,
} from '../domain-errors.ts'
import type {
  AcknowledgeTask,
  AssignTask,
  ChangeDeadline,
  PublishTask,
  SetDeadline,
} from './task-commands.ts'
import { factsOf, type Task } from './task.ts'
import { existingTask, leadBureau, openStatuses, requireManager, requireStatus } from './task-guards.ts'

function checkBasis(basis: TaskBasis, planId: string): TaskBasis {
  if (basis?.kind === 'plan-clause') {
    if (basis.planId !== planId) throw fail('INVALID_VALUE', `basis.planId must be the task's plan ${planId}`)
    return { kind: 'plan-clause', planId, clause: requireText(basis.clause, 'basis.clause') }
  }
  if (basis?.kind === 'resolution') {
    const meetingId = requireText(basis.meetingId, 'basis.meetingId')
    return {
      kind: 'resolution',
      meetingId,
      resolutionId: requireText(basis.resolutionId, 'basis.resolutionId'),
    }
  }
  throw fail('INVALID_VALUE', "basis.kind must be 'plan-clause' or 'resolution'")
}

/** Publishing the same task again is a retry and records nothing. */
export function publishTask(command: PublishTask, state: Task): TaskPublished[] {
  const { data } = command
  requireManager(command.metadata.actor, data.basis, 'publish this task')
  const planId = requireText(data.planId, 'planId')
  const published: TaskPublished['data'] = {
    planId,
    taskId: requireText(data.taskId, 'taskId'),
    title: requireText(data.title, 'title'),
    sectionPath: requireTexts(data.sectionPath, 'sectionPath'),
    basis: checkBasis(data.basis, planId),
  }
  if (state.status !== 'none') {
    const { planId, taskId, title, sectionPath, basis } = factsOf(state)
    if (sameJson({ planId, taskId, title, sectionPath, basis }, published)) return []
    throw fail('TASK_ALREADY_PUBLISHED', `${planId} ${taskId}`)
  }
  return [{ type: 'TaskPublished', data: published }]
}

function checkAssignment(leads: unknown, partners: unknown): { leads: string[]; partners: string[] } {
  const valid = (ids: unknown): ids is string[] =>
    Array.isArray(ids) && ids.every((id) => typeof id === 'string' && id.trim() !== '')
  if (!valid(leads) || !valid(partners))
    throw fail('INVALID_ASSIGNMENT', 'bureau ids must be non-empty strings')
  if (leads.length === 0) throw fail('INVALID_ASSIGNMENT', 'no lead bureau')
  const all = [...leads, ...partners]
  if (new Set(all).size !== all.length) throw fail('INVALID_ASSIGNMENT', 'a bureau is named twice')
  return { leads: [...leads], partners: [...partners] }
}

function checkCause(cause: AssignmentCause | undefined): AssignmentCause | undefined {
  if (cause === undefined) return undefined
  if (!['reorganisation', 'resolution', 'plan'].includes(cause?.kind)) {
    throw fail('INVALID_VALUE', "cause.kind must be 'reorganisation', 'resolution' or 'plan'")
  }
  return { kind: cause.kind, id: requireText(cause.id, 'cause.id') }
}

/** An assignment equal to the current one (same bureaus, same order) records nothing. */
export function assignTask(command: AssignTask, state: Task): TaskAssigned[] {
  const task = existingTask(state)
  requireManager(command.metadata.actor, task.basis, 'assign this task')
  const { leads, partners } = checkAssignment(command.data.leads, command.data.partners)
  const cause = checkCause(command.data.cause)
  requireStatus(task, openStatuses)
  if (sameJson(leads, task.leads) && sameJson(partners, task.partners)) return []
  return [{ type: 'TaskAssigned', data: { leads, partners, ...(cause === undefined ? {} : { cause }) } }]
}

/**
 * Each lead signs once. A lead that signed already gets no second event, whatever happened since,
 * so a repeated request cannot fail or record twice.
 */
export function acknowledgeTask(command: AcknowledgeTask, state: Task): TaskAcknowledged[] {
  const task = existingTask(state)
  const bureauId = leadBureau(command.metadata.actor, task, 'acknowledge a task')
  if (task.acknowledgedBy.includes(bureauId)) return []
  requireStatus(task, ['assigned', 'acknowledged', 'in_progress', 'completion_submitted'])
  return [{ type: 'TaskAcknowledged', data: { bureauId } }]
}

/** The first deadline; setting the same one again records nothing, a different one needs a reason. */
export function setDeadline(command: SetDeadline, state: Task): DeadlineSet[] {
  const task = existingTask(state)
  requireManager(command.metadata.actor, task.basis, 'set a deadline', ['supervisor'])
  const deadline = requireDay(command.data.deadline, 'deadline')
  requireStatus(task, openStatuses)
  if (task.deadline === deadline) return []
  if (task.deadline !== null) throw fail('DEADLINE_ALREADY_SET', task.deadline)
  return [{ type: 'DeadlineSet', data: { deadline } }]
}

/** Moving the deadline to where it already is records nothing. */
export function changeDeadline(command: ChangeDeadline, state: Task): DeadlineChanged[] {
  // `system`: the platform carrying out a joint meeting's resolution (change-deadline).
  requireRole(command.metadata.actor, ['supervisor', 'planner', 'secretariat', 'system'], 'change a deadline')
  const task = existingTask(state)
  const to = requireDay(command.data.deadline, 'deadline')
  const reason = requireReason(command.data.reason)
  requireStatus(task, openStatuses)
  if (task.deadline === null) throw fail('NO_DEADLINE')
  if (task.deadline === to) return []
  return [{ type: 'DeadlineChanged', data: { from: task.deadline, to, reason } }]
}
