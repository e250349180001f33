import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { Test } from 'tap'
import { loadConfig, signToken } from '@coord/service-kit'
import type { Actor } from './platform.ts'

const root = join(import.meta.dirname, '..', '..', '..')

/** The environment of a platform process: a secret of its own, silent logs, a free port. */
export function platformEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    JWT_SECRET: randomBytes(24).toString('hex'),
    PORT: '0',
    HOST: '127.0.0.1',
    ...extra,
  }
}

/** Signs tokens the platform started with `env` accepts. */
export function bearerFor(env: Record<string, string>): (actor: Actor) => string {
  const config = loadConfig(env, { envFile: false })
  return (actor) => `Bearer ${signToken(config, actor)}`
}

/** A process of the test's own and the tail of what it wrote to stderr, for failure messages. */
export interface Entry {
  child: ChildProcess
  stderr: () => string
}

/**
 * A TypeScript entry point run in a process group of its own, so a kill reaches everything it
 * started; the group is killed in teardown. KAFKA_BROKERS is passed only when `env` sets it.
 * Stderr is drained here (a full pipe would stall the child); the caller reads or resumes stdout.
 */
export function runEntry(t: Test, entry: string, env: Record<string, string>): Entry {
  const { KAFKA_BROKERS: _brokers, NODE_OPTIONS: _loaders, ...inherited } = process.env
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8_000)))
  t.teardown(() => killGroup(child, 'SIGKILL'))
  return { child, stderr: () => stderr }
}

/** Sends `signal` to the child's process group and resolves once the child is gone. */
export async function killGroup(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
  const gone = once(child, 'exit')
  try {
    process.kill(-child.pid, signal)
  } catch {
    // the group is already gone
  }
  await gone
}

/** A server process, the URL it listens on and the tail of its log (pino writes to stdout). */
export interface ServerProcess extends Entry {
  url: string
  stdout: () => string
}

/**
 * Starts services/platform/src/main.ts with `env` (DATABASE_URL or DATA_DIR chooses the store)
 * and waits for the URL it prints once it listens.
 */
export function startPlatform(t: Test, env: Record<string, string>): Promise<ServerProcess> {
  return startServer(t, 'services/platform/src/main.ts', env)
}

/**
 * Starts a server entry (a service's src/server.ts logs `listening on <url>` at info level; the
 * platform prints `API <url>/planning`) and waits for its URL.
 */
export async function startServer(
  t: Test,
  entry: string,
  env: Record<string, string>,
): Promise<ServerProcess> {
  const { child, stderr } = runEntry(t, entry, env)
  let url = ''
  for await (const line of createInterface({ input: child.stdout as NodeJS.ReadableStream })) {
    const found = /(?:API\s+|listening on )(http:\/\/[^/\s"]+)/.exec(line)
    if (found) {
      url = found[1] as string
      break
    }
  }
  let stdout = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(-8_000)))
  if (!url) throw new Error(`${entry} did not start:\n${stderr()}`)
  return { child, url, stderr, stdout: () => stdout }
}
