#!/usr/bin/env node
// Entry point of `npm start` / `npm test` on a machine that may have only Node.js and npm:
// installs the pinned pnpm and the locked dependencies when they are missing, then hands over.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager
const version = pinned.split('@')[1]

function pnpmCommand() {
  try {
    const found = execFileSync('pnpm', ['--version'], { encoding: 'utf8' }).trim()
    if (found === version) return ['pnpm']
  } catch {
    // not on PATH: fall through to npx
  }
  return ['npx', '-y', `pnpm@${version}`]
}

function run(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: process.cwd(), stdio: 'inherit' })
  if (result.error) throw result.error
  return result.status ?? 1
}

const [pnpm, ...pnpmArgs] = pnpmCommand()
const installed = existsSync(join(root, 'node_modules', '.modules.yaml'))
if (!installed) {
  const status = run(pnpm, [...pnpmArgs, 'install', '--frozen-lockfile'])
  if (status !== 0) process.exit(status)
}

const task = process.argv[2]
const tasks = {
  // The whole platform in this process; tsx runs the TypeScript sources.
  start: ['--import', 'tsx', join(root, 'services/platform/src/main.ts')],
  test: [join(root, 'scripts/run-tests.mjs')],
}
const args = tasks[task]
if (!args) {
  console.error(`usage: bootstrap.mjs ${Object.keys(tasks).join('|')}`)
  process.exit(2)
}
process.exit(run(process.execPath, [...args, ...process.argv.slice(3)]))
