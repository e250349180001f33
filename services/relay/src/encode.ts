import { cloudEventHeaders, streamCategory, toMessage } from '@coord/contracts'
import type { RecordedEvent } from '@coord/eventstore'

export interface EncodedEvent {
  value: Uint8Array
  headers: Record<string, string>
  /** False for internal events bureaus never receive: they go to the all-events topic only. */
  public: boolean
}

/**
 * An event as a Kafka record in CloudEvents binary mode: the public protobuf message of
 * @coord/contracts with its `ce_` headers, plus the global position and stream revision. An
 * internal event outside the contract travels, on the all-events topic only, as JSON.
 */
export function encodeEvent(event: RecordedEvent): EncodedEvent {
  const position = { coord_position: String(event.position), coord_revision: String(event.revision) }
  const mapped = toMessage(event)
  if (mapped) {
    return {
      value: mapped.bytes,
      headers: { ...cloudEventHeaders(event, mapped), ...position },
      public: true,
    }
  }
  const headers = {
    ce_specversion: '1.0',
    ce_id: event.id,
    ce_type: event.type,
    ce_source: `/coord/${streamCategory(event.streamId)}`,
    ce_subject: event.streamId,
    ce_time: event.metadata.recordedAt,
    'content-type': 'application/json',
    ...position,
  }
  return {
    value: Buffer.from(JSON.stringify({ data: event.data, metadata: event.metadata })),
    headers,
    public: false,
  }
}
