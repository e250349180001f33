import { createWriteStream, rmSync } from 'node:fs'
import { rename, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { CliError } from './cli.ts'
import { onInterrupt } from './interrupt.ts'

/** Whether `error` is the file system's (it names a system call), not the data's or the store's. */
export function isFileError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string'
}

/** A usage error naming the path the user gave and the system's reason, e.g. ENOENT. */
export function cannotWrite(path: string, error: NodeJS.ErrnoException): CliError {
  // Node's message reads "ENOENT: no such file or directory, open '<path>'": keep the reason.
  const reason = /^[A-Z]+: ([^,]+)/.exec(error.message)?.[1]
  return new CliError(`cannot write ${path}: ${error.code ?? 'error'}${reason ? ` (${reason})` : ''}`)
}

/** Refuses, before anything is read or written, an output path that names a directory. */
export async function checkFileTarget(path: string): Promise<void> {
  const found = await stat(path).catch(() => null)
  if (found?.isDirectory()) throw new CliError(`cannot write ${path}: EISDIR (it is a directory)`)
}

/** Refuses, before anything is read or written, an output directory that is a file. */
export async function checkDirectoryTarget(dir: string): Promise<void> {
  const found = await stat(dir).catch(() => null)
  if (found && !found.isDirectory()) {
    throw new CliError(`cannot write to ${dir}: ENOTDIR (it is a file; --out names a directory)`)
  }
}

/**
 * Writes `chunks` to `path` whole or not at all: into a file beside it, renamed over it at the end,
 * and removed if the writing fails or the process is interrupted.
 */
export async function writeFileWhole(path: string, chunks: AsyncIterable<string>): Promise<void> {
  await checkFileTarget(path)
  const partial = join(dirname(path), `.${basename(path)}.${process.pid}.partial`)
  const removePartial = () => rmSync(partial, { force: true })
  const release = onInterrupt(removePartial)
  try {
    await pipeline(Readable.from(chunks), createWriteStream(partial, { flags: 'wx' }))
    await rename(partial, path)
  } catch (error) {
    removePartial()
    throw isFileError(error) ? cannotWrite(path, error) : error
  } finally {
    release()
  }
}
