import type { Decider } from '@coord/domain'
import type { PlanEvent, TaskEvent } from '@coord/events'
import { decide as decidePlan, type PlanCommand } from './plan/plan.decide.ts'
import { evolve as evolvePlan, initialState as initialPlan, type Plan } from './plan/plan.ts'
import { decide as decideTask } from './task/task.decide.ts'
import type { TaskCommand } from './task/task-commands.ts'
import { evolve as evolveTask, initialState as initialTask, type Task } from './task/task.ts'

/** The planning service's pure domain: the two aggregates, as the edge and the tests use them. */
export const planDecider: Decider<PlanCommand, PlanEvent, Plan> = {
  decide: decidePlan,
  evolve: evolvePlan,
  initialState: initialPlan,
}

export const taskDecider: Decider<TaskCommand, TaskEvent, Task> = {
  decide: decideTask,
  evolve: evolveTask,
  initialState: initialTask,
}

export type {
  AmendPlan,
  DefineGoal,
  DefineTarget,
  ImportPlan,
  IssuePlan,
  PlanCommand,
  ReportTargetMeasurement,
} from './plan/plan.decide.ts'
export type { ExistingPlan, Goal, Measurement, Plan, PlanFacts, Target } from './plan/plan.ts'
export type { TargetInput } from './plan/plan-values.ts'
export type * from './task/task-commands.ts'
export type {
  ActiveTask,
  ExistingTask,
  ResumableStatus,
  SuspendedTask,
  Task,
  TaskFacts,
  TaskStatus,
} from './task/task.ts'
export { deadlineNotices, deadlineWatcher } from './task/deadline-notices.ts'
export { businessDay, daysBetween } from './task/calendar.ts'
export { planningErrors, type PlanningErrorCode } from './domain-errors.ts'
