export { buildPlatform, type PlatformOptions } from './platform.ts'
export { examplePlanId, seedExamplePlan } from './seed.ts'
export { dutyTransferRunner } from './resolution-steps.ts'
export { registerReadSide, type ReadSideOptions } from './read-side.ts'
