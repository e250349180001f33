import { parsePlan, PlanImportError } from '../src/index.ts'

/** The error `parsePlan` refuses `text` with; fails the test when it accepts it or throws another. */
export function refusal(text: string): PlanImportError {
  try {
    parsePlan(text)
  } catch (error) {
    if (error instanceof PlanImportError) return error
    throw error
  }
  throw new Error('parsePlan accepted the text')
}
