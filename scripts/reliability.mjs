#!/usr/bin/env node
// `pnpm test:reliability [--long]`: runs tests/reliability (the long form with --long), then prints
// the summary table from the rows each test filed and writes bench-results/reliability.json.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const long = process.argv.includes('--long')
const unknown = process.argv.slice(2).filter((arg) => arg !== '--long')
if (unknown.length > 0) {
  console.error(`usage: pnpm test:reliability [--long]   (unknown: ${unknown.join(' ')})`)
  process.exit(2)
}

const results = join(root, 'bench-results')
const rows = join(results, 'reliability.jsonl')
mkdirSync(results, { recursive: true })
rmSync(rows, { force: true })

const files = readdirSync(join(root, 'tests/reliability'))
  .filter((name) => name.endsWith('.test.ts'))
  .sort()
  .map((name) => `tests/reliability/${name}`)
// One file at a time: the rows measure the platform, not the files competing for two cores. The
// long form runs for many minutes, past tap's default timeout.
const tapOptions = ['--jobs=1', ...(long ? ['--timeout=0'] : [])]
const run = spawnSync(process.execPath, [join(root, 'scripts/run-tests.mjs'), ...tapOptions, ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, RELIABILITY_LONG: long ? '1' : '0' },
})

const filed = existsSync(rows)
  ? readFileSync(rows, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
  : []
const width = Math.max(4, ...filed.map((r) => r.row.length))
console.log(`\nReliability (${long ? 'long' : 'bounded'} form)\n`)
console.log(`${'row'.padEnd(width)}  failures  figure`)
for (const r of filed) console.log(`${r.row.padEnd(width)}  ${String(r.failures).padStart(8)}  ${r.figure}`)
const failures = filed.reduce((sum, r) => sum + r.failures, 0)
console.log(`\n${filed.length} rows, ${failures} failures`)
writeFileSync(
  join(results, 'reliability.json'),
  `${JSON.stringify(
    {
      area: 'reliability',
      form: long ? 'long' : 'bounded',
      machine: `${availableParallelism()} cores, ${process.version}`,
      when: new Date().toISOString(),
      rows: filed,
    },
    null,
    2,
  )}\n`,
)
process.exit(run.status !== 0 || failures > 0 ? 1 : 0)
