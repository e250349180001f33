import { fromBinary, toBinary, type DescMessage, type Message } from '@bufbuild/protobuf'
import { planningEventTypes } from '@coord/events'
import { meetingEventTypes } from '@coord/events/meetings'
import { responsibilityEventTypes } from '@coord/events/responsibility'
import type { JsonValue, RecordedEvent } from '@coord/eventstore'
import type { Codec } from './mapping/codec.ts'
import { fromEventMeta, toEventMeta } from './mapping/envelope.ts'
import { meetingCodecs } from './mapping/meeting.ts'
import { planCodecs } from './mapping/plan.ts'
import { responsibilityCodecs, responsibilityExclusions } from './mapping/responsibility.ts'
import { taskCodecs } from './mapping/task.ts'

// The one place internal events meet the public contract (proto/coord/v1). Each area's table is
// keyed by its event union, so the compiler rejects an event type that is neither mapped nor
// excluded; test/mapping-catalogue.test.ts checks the same against the runtime catalogues.

/** The protobuf package of the contract; a message's full name is `coord.v1.<event type>`. */
export const contractPackage = 'coord.v1'

const codecs: Readonly<Record<string, Codec<unknown>>> = Object.freeze({
  ...planCodecs,
  ...taskCodecs,
  ...meetingCodecs,
  ...responsibilityCodecs,
})

/** Internal event types bureaus never receive, each with the reason. */
export const excludedEventTypes: Readonly<Record<string, string>> = Object.freeze({
  ...responsibilityExclusions,
})

/** Every event type with a message in the contract, in catalogue order. */
export const mappedEventTypes: readonly string[] = Object.freeze(Object.keys(codecs))

/** Every internal event type the platform records, mapped or not. */
export const internalEventTypes: readonly string[] = Object.freeze([
  ...planningEventTypes,
  ...meetingEventTypes,
  ...responsibilityEventTypes,
])

/** An event as it travels: its message, the message's wire bytes and the name of its schema. */
export interface MappedEvent {
  schema: DescMessage
  message: Message
  bytes: Uint8Array
  /** The message's full name, e.g. `coord.v1.TaskAssigned`: the ce_dataschema header. */
  dataschema: string
}

/**
 * The public message of a recorded event, or null for an event bureaus never receive: one of
 * `excludedEventTypes`, or a type outside the platform's catalogues (a test's scratch event, say).
 * That a new catalogue type gets a message or an exclusion is for test/mapping-catalogue.test.ts
 * to enforce, not for the relay to find out in production.
 */
export function toMessage(event: RecordedEvent): MappedEvent | null {
  const codec = codecFor(event.type)
  if (codec === undefined) return null
  const message = codec.encode(toEventMeta(event), event.data)
  return {
    schema: codec.schema,
    message,
    bytes: toBinary(codec.schema, message),
    dataschema: codec.schema.typeName,
  }
}

/**
 * An event back from its type (the ce_type header) and wire bytes, in the internal shape. The
 * metadata holds what the contract carries: actor, correlation and causation ids, both times
 * (as UTC ISO strings: an offset given at write time is not kept, the instant is).
 */
export function fromMessage(type: string, bytes: Uint8Array): RecordedEvent {
  const codec = codecOf(type)
  const { meta, data } = codec.decode(fromBinary(codec.schema, bytes))
  const envelope = fromEventMeta(meta)
  if (meta?.type !== type) throw new TypeError(`a ${type} message whose envelope says '${meta?.type}'`)
  return { ...envelope, type, data: data as JsonValue }
}

/** The message descriptor of an event type, or undefined when bureaus never receive it. */
export function schemaOf(type: string): DescMessage | undefined {
  return codecFor(type)?.schema
}

function codecFor(type: string): Codec<unknown> | undefined {
  return Object.hasOwn(codecs, type) ? codecs[type] : undefined
}

function codecOf(type: string): Codec<unknown> {
  const codec = codecFor(type)
  if (codec === undefined) {
    const why = Object.hasOwn(excludedEventTypes, type)
      ? 'bureaus never receive it'
      : 'the contract does not know it'
    throw new RangeError(`no message for event type '${type}': ${why}`)
  }
  return codec
}
