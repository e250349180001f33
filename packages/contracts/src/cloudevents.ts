import type { RecordedEvent } from '@coord/eventstore'
import type { MappedEvent } from './mapping.ts'

/**
 * The Kafka headers of an event in CloudEvents binary mode (Kafka protocol binding, spec 1.0):
 * the attributes travel as `ce_` headers and the message bytes are the record value.
 */
export interface CloudEventHeaders {
  ce_specversion: '1.0'
  /** The event id: a consumer that has seen it once has seen this event. */
  ce_id: string
  /** The event type, e.g. `TaskAssigned`; `fromMessage` decodes by it. */
  ce_type: string
  /** `/coord/<stream category>`, e.g. `/coord/task`. */
  ce_source: string
  /** The stream id, e.g. `task-<planId>/<taskId>`; ordered by revision within it. */
  ce_subject: string
  /** When the platform recorded the event (RFC 3339). */
  ce_time: string
  'content-type': 'application/protobuf'
  /** The message's full name, e.g. `coord.v1.TaskAssigned`. */
  ce_dataschema: string
}

/** The headers to send a mapped event with; values are strings, UTF-8 on the wire. */
export function cloudEventHeaders(event: RecordedEvent, mapped: MappedEvent): CloudEventHeaders {
  return {
    ce_specversion: '1.0',
    ce_id: event.id,
    ce_type: event.type,
    ce_source: `/coord/${streamCategory(event.streamId)}`,
    ce_subject: event.streamId,
    ce_time: event.metadata.recordedAt,
    'content-type': 'application/protobuf',
    ce_dataschema: mapped.dataschema,
  }
}

/** The part of a stream id before its first '-': plan, task, meeting, bureau, duties, reorganisation. */
export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-')
  return dash < 0 ? streamId : streamId.slice(0, dash)
}
