export { build, meetingsPlugin, type MeetingsOptions } from './app.ts'
export * from './domain.ts'
export {
  ResolutionProcessManager,
  type DeciderFor,
  type DutyTransferRunner,
  type StepContext,
  type ResolutionProcessManagerOptions,
} from './resolution/process-manager.ts'
