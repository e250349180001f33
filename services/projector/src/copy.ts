import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFromStdin } from 'pg-copy-streams'

/** A column of rows written with COPY: its name and whether its value is written as JSON. */
export interface CopyColumn {
  name: string
  json?: boolean
}

/**
 * Rows in COPY's text format, one a line, tab between columns. A JSON column holds the value's
 * `JSON.stringify` (what the set-based inserts send), other values their text; null and undefined
 * are SQL NULL, as a missing or null key is in `jsonb_populate_recordset`.
 */
export function copyText<Row>(columns: readonly CopyColumn[], rows: readonly Row[]): string {
  let text = ''
  for (const row of rows) {
    const record = row as Record<string, unknown>
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i] as CopyColumn
      const value = record[column.name]
      if (i > 0) text += '\t'
      if (value === null || value === undefined) text += '\\N'
      else
        text += escaped(
          column.json || typeof value === 'object' ? JSON.stringify(value) : `${value as string | number}`,
        )
    }
    text += '\n'
  }
  return text
}

/** Backslash, newline, carriage return and tab are what COPY's text format needs escaped. */
function escaped(value: string): string {
  return /[\\\n\r\t]/.test(value)
    ? value.replace(
        /[\\\n\r\t]/g,
        (c) => ({ '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] as string,
      )
    : value
}

/** `copy <table> (<columns>) from stdin` through a `pg` client, the rows in COPY's text format. */
export async function pgCopyFrom(client: pg.ClientBase, table: string, columns: string, text: string) {
  const sink = client.query(copyFromStdin(`copy ${table} (${columns}) from stdin`))
  await pipeline(Readable.from([Buffer.from(text)]), sink)
}
