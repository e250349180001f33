#!/usr/bin/env node
// Runs every test file of the workspace in one tap run and ends with `N passed, N failed`.
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
// Arguments starting with '-' go to tap (e.g. `--timeout=0`); the others are test files.
const options = process.argv.slice(2).filter((arg) => arg.startsWith('-'))
const args = process.argv.slice(2).filter((arg) => !arg.startsWith('-'))
const files = args.length > 0 ? args : testFiles().sort()

// Every *.test.ts under packages/*/test, services/*/test and tests/ (node_modules excluded).
function testFiles() {
  const found = []
  const walk = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(path)
      else if (entry.isFile() && entry.name.endsWith('.test.ts')) found.push(path)
    }
  }
  for (const group of ['packages', 'services']) {
    for (const pkg of readdirSync(join(root, group), { withFileTypes: true })) {
      if (pkg.isDirectory()) {
        try {
          walk(`${group}/${pkg.name}/test`)
        } catch {
          // a package without tests
        }
      }
    }
  }
  walk('tests')
  return found
}

const tap = join(root, 'node_modules', '.bin', 'tap')
const child = spawn(tap, ['--reporter=tap', ...options, ...files], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
})

const totals = { pass: 0, fail: 0, skip: 0, todo: 0 }
let pending = ''
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk)
  pending += chunk.toString('utf8')
  const lines = pending.split('\n')
  pending = lines.pop() ?? ''
  for (const line of lines) count(line)
})

// tap closes its report with `# { total: 10, pass: 9, fail: 1, skip: 0 }` (zero fields omitted).
function count(line) {
  const m = /^# \{ total: \d+(.*)\}$/.exec(line.trim())
  if (!m) return
  for (const [, key, value] of m[1].matchAll(/(\w+): (\d+)/g)) {
    if (key in totals) totals[key] += Number(value)
  }
}

child.on('close', (code) => {
  if (pending) count(pending)
  const skipped = totals.skip + totals.todo
  const tail = skipped > 0 ? `, ${skipped} skipped` : ''
  const failed = totals.fail + (code !== 0 && totals.fail === 0 ? 1 : 0)
  console.log(`${totals.pass} passed, ${failed} failed${tail}`)
  process.exit(code ?? 1)
})
