import { mkdirSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'

/** One measured workload: ours beside the physical limit and a peer, in the same run. */
export interface Workload {
  name: string
  unit: string
  better: 'higher' | 'lower'
  ours: number
  limit: number | null
  peer: number | null
}

export interface BenchReport {
  area: string
  machine: string
  when: string
  workloads: Workload[]
}

/** Whether `--quick` (a run under one minute) was asked for. */
export const quick = process.argv.includes('--quick')

/** Writes `bench-results/<area>.json` (BRIEF section 7) and prints a Markdown table of ratios. */
export function publish(area: string, workloads: Workload[], root = process.cwd()): BenchReport {
  const report: BenchReport = {
    area,
    machine: `${availableParallelism()} cores, ${process.version}`,
    when: new Date().toISOString(),
    workloads,
  }
  const dir = join(root, 'bench-results')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, `${area}.json`), `${JSON.stringify(report, null, 2)}\n`)
  process.stdout.write(`${table(report)}\n`)
  return report
}

/** Ratio of ours to a reference, oriented so that above 1 means ours is better. */
export function ratio(w: Workload, reference: number | null): string {
  if (reference === null || reference === 0 || w.ours === 0) return '-'
  const r = w.better === 'higher' ? w.ours / reference : reference / w.ours
  return r.toFixed(2)
}

function table(report: BenchReport): string {
  const fmt = (n: number | null): string => (n === null ? '-' : n >= 100 ? n.toFixed(0) : n.toFixed(2))
  const lines = [
    `## ${report.area} (${report.machine}, ${report.when})`,
    '',
    '| workload | unit | ours | limit | peer | ours/limit | ours/peer |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...report.workloads.map(
      (w) =>
        `| ${w.name} | ${w.unit} | ${fmt(w.ours)} | ${fmt(w.limit)} | ${fmt(w.peer)} | ${ratio(w, w.limit)} | ${ratio(w, w.peer)} |`,
    ),
    '',
    'Ratios are oriented so that above 1 means ours does better than the reference.',
  ]
  return lines.join('\n')
}

/** Runs `task` once per worker with `concurrency` workers over `total` items; returns items/s. */
export async function throughput(
  total: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<number> {
  let next = 0
  const started = process.hrtime.bigint()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const index = next++
        await task(index)
      }
    }),
  )
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  return total / seconds
}
