import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFromStdin } from 'pg-copy-streams'

/**
 * A column of rows written with COPY: its name, whether its value is written as JSON, and where
 * the value is taken from (by default the row's property of the column's name).
 */
export interface CopyColumn<Row = unknown> {
  name: string
  json?: boolean
  of?: (row: Row) => unknown
}

/**
 * Rows in COPY's text format, UTF-8, one a line, tab between columns. A JSON column holds the
 * value's `JSON.stringify` (what the set-based inserts send), other values their text; null and
 * undefined are SQL NULL, as a missing or null key is in `jsonb_populate_recordset`. Each line is
 * encoded into the buffer as it is made: no string of the whole batch is ever made.
 */
export function copyData<Row>(columns: readonly CopyColumn<Row>[], rows: readonly Row[]): Buffer {
  const out = new CopyBuffer()
  for (const row of rows) {
    const record = row as Record<string, unknown>
    // A line is made whole and then written: each write into the buffer costs more than joining.
    let line = ''
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i] as CopyColumn<Row>
      const value = column.of ? column.of(row) : record[column.name]
      if (i > 0) line += '\t'
      if (value === null || value === undefined) line += '\\N'
      else if (column.json || typeof value === 'object') line += escapedJson(JSON.stringify(value))
      else line += escaped(`${value as string | number}`)
    }
    out.put(`${line}\n`)
  }
  return out.data()
}

/** A buffer that grows by doubling, written to as UTF-8. */
class CopyBuffer {
  private buffer = Buffer.allocUnsafe(64 * 1024)
  private length = 0

  put(text: string): void {
    // A UTF-16 code unit takes at most three bytes of UTF-8.
    const room = this.length + text.length * 3
    if (room > this.buffer.length) {
      const larger = Buffer.allocUnsafe(Math.max(room, this.buffer.length * 2))
      this.buffer.copy(larger, 0, 0, this.length)
      this.buffer = larger
    }
    this.length += this.buffer.write(text, this.length)
  }

  data(): Buffer {
    return this.buffer.subarray(0, this.length)
  }
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

/** JSON text holds no raw newline, return or tab (JSON.stringify escapes them): only backslashes. */
function escapedJson(json: string): string {
  return json.includes('\\') ? json.replaceAll('\\', '\\\\') : json
}

/** `copy <table> (<columns>) from stdin` through a `pg` client, the rows in COPY's text format. */
export async function pgCopyFrom(client: pg.ClientBase, table: string, columns: string, data: Buffer) {
  const sink = client.query(copyFromStdin(`copy ${table} (${columns}) from stdin`))
  await pipeline(Readable.from([data]), sink)
}
