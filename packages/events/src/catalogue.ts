import type { PlanEvent, PlanEventType } from './plan-events.ts'
import type { TaskEvent, TaskEventType } from './task-events.ts'

export type PlanningEvent = PlanEvent | TaskEvent
export type PlanningEventType = PlanningEvent['type']

// Records keyed by the unions: the compiler rejects a missing or an unknown type name, so the
// lists below cannot drift from the event types.
const planTypes: Record<PlanEventType, true> = {
  PlanImported: true,
  PlanIssued: true,
  PlanAmended: true,
  GoalDefined: true,
  TargetDefined: true,
  TargetMeasurementReported: true,
}

const taskTypes: Record<TaskEventType, true> = {
  TaskPublished: true,
  TaskAssigned: true,
  TaskAcknowledged: true,
  DeadlineSet: true,
  DeadlineChanged: true,
  ProgressReported: true,
  CompletionSubmitted: true,
  CompletionVerified: true,
  CompletionRejected: true,
  TaskClosed: true,
  TaskSuspended: true,
  TaskResumed: true,
  TaskCancelled: true,
  DeadlineApproaching: true,
  DeadlineMissed: true,
}

export const planEventTypes = Object.freeze(Object.keys(planTypes) as PlanEventType[])
export const taskEventTypes = Object.freeze(Object.keys(taskTypes) as TaskEventType[])

/** Every event type of the planning service, plan stream first. */
export const planningEventTypes: readonly PlanningEventType[] = Object.freeze([
  ...planEventTypes,
  ...taskEventTypes,
])

export function isPlanEventType(type: string): type is PlanEventType {
  return Object.hasOwn(planTypes, type)
}

export function isTaskEventType(type: string): type is TaskEventType {
  return Object.hasOwn(taskTypes, type)
}

export function isPlanningEventType(type: string): type is PlanningEventType {
  return isPlanEventType(type) || isTaskEventType(type)
}
