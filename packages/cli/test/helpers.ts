import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'

/** The repository root: where `pnpm coord` runs the CLI from. */
export const root = fileURLToPath(new URL('../../../', import.meta.url))

export const examplePath = join(root, 'packages/plan-import/examples/pudong-ip-demo-city-plan-2017-2019.txt')

export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

/** A directory of its own for one test, removed in teardown. */
export function tempDir(t: Test, prefix = 'coord-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/**
 * The environment the CLI runs in: development (so keys come from DATA_DIR), a data directory of
 * the test's own, and no JWT_SECRET or loader options inherited from the test runner.
 */
export function cliEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _loaders, ...inherited } = process.env
  return {
    ...inherited,
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    JWT_SECRET: '',
    LOG_LEVEL: 'silent',
    ...extra,
  }
}

/**
 * Runs the real CLI (`node --import tsx packages/cli/src/main.ts …`, what `pnpm coord` runs);
 * `nodeArgs` go to node after tsx.
 */
export function runCli(args: string[], env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', ...nodeArgs, 'packages/cli/src/main.ts', ...args],
      {
        cwd: root,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}
