import type { SqlClient } from './sql/driver.ts'
import type { JsonValue, ReadAllFilter, RecordedEvent, RecordedMetadata } from './types.ts'

// recorded_at travels as epoch milliseconds: cheaper to turn into an ISO string than a timestamp.
export const eventColumns = `position, id, stream_id, revision, type, schema_version, data, metadata,
  (extract(epoch from recorded_at) * 1000)::float8 as recorded_ms`

export interface EventRow {
  position: string | number
  id: string
  stream_id: string
  revision: string | number
  type: string
  schema_version: number
  data: JsonValue
  metadata: Record<string, JsonValue>
  recorded_ms: number
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  // The parsed metadata object is ours alone, so it takes recordedAt in place rather than a copy.
  const metadata = row.metadata as unknown as RecordedMetadata
  metadata.recordedAt = new Date(row.recorded_ms).toISOString()
  return {
    id: row.id,
    streamId: row.stream_id,
    revision: Number(row.revision),
    position: Number(row.position),
    type: row.type,
    schemaVersion: Number(row.schema_version),
    data: row.data,
    metadata,
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

export interface PagedRead {
  fetch: (cursor: number, limit: number) => Promise<RecordedEvent[]>
  start: number
  /** Turns the last event of a page into the next cursor. */
  next: (last: RecordedEvent) => number
  maxCount: number
}

/**
 * Streams pages one after another: only one page is held at a time, so reading a million events
 * costs the memory of one page. `setup` runs when iteration starts, so its errors (bad options,
 * a closed store) arrive as rejections of the first `next()`.
 */
export async function* paged(setup: () => PagedRead, pageSize: number): AsyncGenerator<RecordedEvent> {
  const { fetch, start, next, maxCount } = setup()
  let cursor = start
  let remaining = maxCount
  while (remaining > 0) {
    const limit = Math.min(pageSize, remaining)
    const page = await fetch(cursor, limit)
    for (const event of page) yield event
    remaining -= page.length
    const last = page[page.length - 1]
    if (!last || page.length < limit) return
    cursor = next(last)
  }
}
