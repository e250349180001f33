import { fileURLToPath } from 'node:url'
import { decodePlanFile } from './decode.ts'
import { parsePlan } from './parse.ts'
import type { ParsedPlan } from './types.ts'

export { detectKind } from './analyse.ts'
export { decodePlanFile } from './decode.ts'
export { PlanImportError, planImportErrors, type PlanImportErrorCode } from './errors.ts'
export { parsePlan } from './parse.ts'
export type { ParsedPlan, PlanKind, PlanSection, PlanTarget, PlanTask } from './types.ts'

/** Decodes the bytes of a plan file and reads it: decodePlanFile, then parsePlan. */
export function importPlan(bytes: Uint8Array): ParsedPlan {
  return parsePlan(decodePlanFile(bytes))
}

/** The published example plan shipped with the package (浦府〔2017〕94号), for seeding and demos. */
export const examplePlanPath = fileURLToPath(
  new URL('../examples/pudong-ip-demo-city-plan-2017-2019.txt', import.meta.url),
)
