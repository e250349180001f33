export { buildPlatform, type PlatformOptions } from './platform.ts'
export { examplePlanId, seedExamplePlan } from './seed.ts'
