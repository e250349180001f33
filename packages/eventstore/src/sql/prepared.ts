import { createHash } from 'node:crypto'
import type pg from 'pg'

/**
 * Statements for `pg` named `<prefix>_<hash of their text>`: one with parameters becomes a named
 * prepared statement, which each connection parses and plans once instead of at every run. Each
 * text is hashed once. The texts a service runs are few and repeated; the bound on the names kept
 * only guards against texts made without end.
 */
export function preparedStatements(prefix: string): (sql: string, params?: unknown[]) => pg.QueryConfig {
  const names = new Map<string, string>()
  return (sql, params) => {
    if (!params || params.length === 0) return { text: sql }
    let name = names.get(sql)
    if (name === undefined) {
      name = `${prefix}_${createHash('sha1').update(sql).digest('base64url')}`
      if (names.size >= 1000) names.clear()
      names.set(sql, name)
    }
    return { name, text: sql, values: params }
  }
}
