export { build, planningPlugin, type PlanningOptions } from './app.ts'
export { importPlanDocument, type ImportResult, type PlanDocument } from './plan/import.ts'
export { DeadlineWatcher, type DeadlineWatcherOptions } from './task/deadline-watcher.ts'
export * from './domain.ts'
