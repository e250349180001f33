import { createHash } from 'node:crypto'
import type pg from 'pg'

/** Each statement text's name, per prefix, hashed once. */
const names = new Map<string, string>()

/**
 * A statement for `pg`: with parameters, a named prepared statement (named `<prefix>_<hash of its
 * text>`), which each connection parses and plans once instead of at every run. The texts a
 * service runs are few and repeated; the bound on the names kept only guards against texts made
 * without end.
 */
export function preparedStatement(prefix: string, sql: string, params?: unknown[]): pg.QueryConfig {
  if (!params || params.length === 0) return { text: sql }
  const key = `${prefix}\u0000${sql}`
  let name = names.get(key)
  if (name === undefined) {
    name = `${prefix}_${createHash('sha1').update(sql).digest('base64url')}`
    if (names.size >= 1000) names.clear()
    names.set(key, name)
  }
  return { name, text: sql, values: params }
}
