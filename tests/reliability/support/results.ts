import { appendFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'

/** Whether the long form runs (`pnpm test:reliability --long` sets it). */
export const long = process.env.RELIABILITY_LONG === '1'

/** One row of the reliability table: what was done, the figure that matters, and what broke (0). */
export interface Row {
  row: string
  figure: string
  failures: number
}

/**
 * Files a row in `bench-results/reliability.jsonl`; `scripts/reliability-summary.mjs` prints the
 * table from it. Each test file records its rows after its assertions ran.
 */
export function record(row: Row): void {
  const dir = join(process.cwd(), 'bench-results')
  mkdirSync(dir, { recursive: true })
  appendFileSync(
    join(dir, 'reliability.jsonl'),
    `${JSON.stringify({ ...row, when: new Date().toISOString() })}\n`,
  )
}
