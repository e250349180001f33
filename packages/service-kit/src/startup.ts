import { connectionFailure, databaseAddress } from '@coord/eventstore'
import { ConfigError } from './config-error.ts'
import { fileProblem } from './file-problem.ts'

/**
 * One line saying why a process could not start, for the failures its operator can act on: the
 * configuration (`ConfigError`), an address it cannot listen on, a file or directory it cannot
 * use (the data directory, a key file), a database it cannot reach or is refused by (at
 * `databaseUrl`). Undefined for any other failure: a defect, whose stack is what helps.
 */
export function startupProblem(error: unknown, databaseUrl?: string): string | undefined {
  if (error instanceof ConfigError) return error.message
  const listen = listenProblem(error)
  if (listen) return listen
  const file = fileProblem(error)
  if (file) return `cannot use ${file}`
  const failure = databaseUrl ? connectionFailure(error) : undefined
  if (failure) {
    return `${failure.problem} the database at ${databaseAddress(databaseUrl as string)} (DATABASE_URL): ${failure.detail}`
  }
  return undefined
}

function listenProblem(error: unknown): string | undefined {
  const { syscall, code, address, port } = (error ?? {}) as {
    syscall?: unknown
    code?: unknown
    address?: string
    port?: number
  }
  if (syscall !== 'listen' || typeof code !== 'string') return undefined
  // Node leaves the port out of the error when it was 0 (any free port).
  const where = `cannot listen on ${address}${port === undefined ? '' : `:${port}`}`
  if (code === 'EADDRINUSE') return `${where}: the address is in use by another process (set PORT or HOST)`
  if (code === 'EACCES') return `${where}: permission denied (a port below 1024 needs privileges; set PORT)`
  if (code === 'EADDRNOTAVAIL') return `${where}: this machine has no such address (set HOST)`
  return `${where}: ${code}`
}

/**
 * A process's entry point: loads its configuration with `load`, then runs `start` with it. A
 * start-up that fails for a reason `startupProblem` knows is said in one line on standard error
 * and the process exits 1, nothing half-started left running (`runServer` closes an app that
 * cannot listen); any other failure is thrown on, with its stack.
 */
export async function startProcess<C extends { databaseUrl?: string | undefined }>(
  load: () => C,
  start: (config: C) => Promise<unknown>,
): Promise<void> {
  let config: C | undefined
  try {
    config = load()
    await start(config)
  } catch (error) {
    const problem = startupProblem(error, config?.databaseUrl)
    if (problem === undefined) throw error
    process.stderr.write(`${problem}\n`)
    process.exit(1)
  }
}
