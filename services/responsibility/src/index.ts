export { build, responsibilityPlugin, type ResponsibilityOptions } from './app.ts'
export {
  ReorganisationProcessManager,
  type OpenTaskLookup,
  type ProcessManagerOptions,
  type TaskDecider,
} from './reorganisation/process-manager.ts'
export { OpenTasks, type OpenTask } from './reorganisation/open-tasks.ts'
export { reorganisationPlan, type AssignTaskData, type FollowUp } from './reorganisation/plan.ts'
export {
  bureauOn,
  foldResponsibility,
  holderOn,
  reorganisationsOf,
  responsibleOn,
  type BureauOn,
  type DutyOn,
  type ResponsibleBureau,
  type StreamEvent,
} from './as-of/as-of.ts'
export * from './domain.ts'
export { runDutyTransfer, type DutyTransfer } from './duties/transfer.ts'
export type { RunContext } from './edge/execute.ts'
