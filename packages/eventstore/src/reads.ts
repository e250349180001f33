import type { SqlClient } from './sql/driver.ts'
import type { JsonValue, ReadAllFilter, RecordedEvent, RecordedMetadata } from './types.ts'

export const eventColumns =
  'position, id, stream_id, revision, type, schema_version, data, metadata, recorded_at'

export interface EventRow {
  position: string | number
  id: string
  stream_id: string
  revision: string | number
  type: string
  schema_version: number
  data: JsonValue
  metadata: Record<string, JsonValue>
  recorded_at: Date | string
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  const recordedAt = row.recorded_at instanceof Date ? row.recorded_at : new Date(row.recorded_at)
  return {
    id: row.id,
    streamId: row.stream_id,
    revision: Number(row.revision),
    position: Number(row.position),
    type: row.type,
    schemaVersion: Number(row.schema_version),
    data: row.data,
    metadata: { ...row.metadata, recordedAt: recordedAt.toISOString() } as unknown as RecordedMetadata,
  }
}

/** Escapes LIKE's wildcards so a prefix is matched literally. */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** One page of the global log from `fromPosition` (inclusive), in position order. */
export async function readAllPage(
  db: SqlClient,
  fromPosition: number,
  limit: number,
  filter: ReadAllFilter | undefined,
): Promise<RecordedEvent[]> {
  const params: unknown[] = [fromPosition, limit]
  let where = 'position >= $1'
  if (filter?.typePrefix !== undefined) {
    params.push(likePrefix(filter.typePrefix))
    where += ` and type like $${params.length}`
  }
  if (filter?.streamPrefix !== undefined) {
    params.push(likePrefix(filter.streamPrefix))
    where += ` and stream_id like $${params.length}`
  }
  const rows = await db.query<EventRow>(
    `select ${eventColumns} from es_events where ${where} order by position limit $2`,
    params,
  )
  return rows.map(toRecordedEvent)
}

/** One page of a stream from `fromRevision` (inclusive) in either direction. */
export async function readStreamPage(
  db: SqlClient,
  streamId: string,
  fromRevision: number,
  limit: number,
  backwards: boolean,
): Promise<RecordedEvent[]> {
  const rows = await db.query<EventRow>(
    `select ${eventColumns} from es_events where stream_id = $1 and revision ${backwards ? '<=' : '>='} $2
     order by revision ${backwards ? 'desc' : 'asc'} limit $3`,
    [streamId, fromRevision, limit],
  )
  return rows.map(toRecordedEvent)
}

/**
 * Streams pages one after another: only one page is held at a time, so reading a million events
 * costs the memory of one page. `next` turns the last event of a page into the next cursor.
 */
export async function* paged(
  fetch: (cursor: number, limit: number) => Promise<RecordedEvent[]>,
  start: number,
  next: (last: RecordedEvent) => number,
  pageSize: number,
  maxCount: number,
): AsyncGenerator<RecordedEvent> {
  let cursor = start
  let remaining = maxCount
  while (remaining > 0) {
    const page = await fetch(cursor, Math.min(pageSize, remaining))
    for (const event of page) yield event
    remaining -= page.length
    const last = page[page.length - 1]
    if (!last || page.length < Math.min(pageSize, remaining + page.length)) return
    cursor = next(last)
  }
}
