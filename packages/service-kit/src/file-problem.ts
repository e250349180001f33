/** What the file-system errors an operator can fix mean, in words. */
const meanings: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
}

/**
 * `<path>: <what the error means>` for a file-system error about a path (a data directory, a key
 * file), or undefined for any other error.
 */
export function fileProblem(error: unknown): string | undefined {
  const { code, path, syscall } = (error ?? {}) as { code?: unknown; path?: unknown; syscall?: unknown }
  if (typeof code !== 'string' || typeof path !== 'string') return undefined
  // A directory cannot be made where a file already is.
  const meaning =
    code === 'EEXIST' && syscall === 'mkdir' ? 'a file, not a directory, is there' : meanings[code]
  return meaning === undefined ? undefined : `${path}: ${meaning}`
}
