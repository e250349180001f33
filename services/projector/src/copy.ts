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
  // Rows folded one after another share their unchanged values (a task's sections, leads or
  // acknowledgments across its versions): each object is encoded once per call.
  const encoded = new Map<object, string>()
  // A line's fields are joined, not appended one by one: `+=` leaves a chain of pieces that the
  // write into the buffer first copies into one string; `join` makes that string directly.
  const fields: string[] = new Array<string>(columns.length)
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as Row
    const record = row as Record<string, unknown>
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i] as CopyColumn<Row>
      const value = column.of ? column.of(row) : record[column.name]
      if (value === null || value === undefined) fields[i] = '\\N'
      else if (typeof value === 'number') fields[i] = column.json ? JSON.stringify(value) : String(value)
      else if (typeof value === 'object') fields[i] = objectJson(value, encoded)
      else if (column.json) fields[i] = escapedJson(JSON.stringify(value))
      else fields[i] = escaped(`${value as string}`)
    }
    out.line(fields.join('\t'))
    // The first line tells about how large the rest will be: the buffer grows once, not by halves.
    if (r === 0) out.expect(rows.length)
  }
  return out.data()
}

function objectJson(value: object, encoded: Map<object, string>): string {
  let json = encoded.get(value)
  if (json === undefined) {
    json = escapedJson(JSON.stringify(value))
    encoded.set(value, json)
  }
  return json
}

/** A buffer that grows by doubling, written to as UTF-8. */
class CopyBuffer {
  private buffer = Buffer.allocUnsafe(64 * 1024)
  private length = 0

  /** Writes `text` and a newline. */
  line(text: string): void {
    // A UTF-16 code unit takes at most three bytes of UTF-8.
    this.reserve(text.length * 3 + 1)
    this.length += this.buffer.write(text, this.length)
    this.buffer[this.length++] = 0x0a
  }

  /** After the first line: makes room for `lines` lines as long as it, and a quarter more. */
  expect(lines: number): void {
    this.reserve(Math.ceil(this.length * lines * 1.25) - this.length)
  }

  data(): Buffer {
    return this.buffer.subarray(0, this.length)
  }

  private reserve(bytes: number): void {
    const room = this.length + bytes
    if (room <= this.buffer.length) return
    const larger = Buffer.allocUnsafe(Math.max(room, this.buffer.length * 2))
    this.buffer.copy(larger, 0, 0, this.length)
    this.buffer = larger
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
