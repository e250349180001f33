import { create, type DescMessage, type Message, type MessageInitShape } from '@bufbuild/protobuf'
import type { GenMessage } from '@bufbuild/protobuf/codegenv2'
import type { EventMeta } from '../gen/coord/v1/envelope_pb.ts'

/** The fields of an event message besides its envelope, as `create()` accepts them. */
export type Fields<M extends Message> = Omit<
  Exclude<MessageInitShape<GenMessage<M>>, M>,
  '$typeName' | 'meta'
>

/** How one event type's data becomes its message and back. */
export interface Codec<Data> {
  readonly schema: DescMessage
  // Method syntax on purpose: a Codec<SomeData> then fits where a Codec<unknown> is expected.
  encode(meta: EventMeta, data: Data): Message
  decode(message: Message): { meta: EventMeta | undefined; data: Data }
}

/** What every event message has: its envelope as field 1. */
type EventMessage = Message & { meta?: EventMeta | undefined }

/** Every event type of a union but the skipped ones, each with the codec of its own data. */
export type CodecTable<E extends { type: string; data: unknown }, Skip extends E['type'] = never> = {
  readonly [T in Exclude<E['type'], Skip>]: Codec<Extract<E, { type: T }>['data']>
}

export function codec<M extends EventMessage, Data>(
  schema: GenMessage<M>,
  toFields: (data: Data) => Fields<M>,
  fromFields: (message: M) => Data,
): Codec<Data> {
  return {
    schema,
    encode: (meta, data) => create(schema, { ...toFields(data), meta } as MessageInitShape<GenMessage<M>>),
    decode: (message) => ({ meta: (message as M).meta, data: fromFields(message as M) }),
  }
}

/** A message with no fields besides its envelope, for events whose type says everything. */
export function bare<M extends EventMessage>(schema: GenMessage<M>): Codec<Record<string, never>> {
  return codec(
    schema,
    () => ({}) as Fields<M>,
    () => ({}),
  )
}

/** A closed set of internal names and its protobuf enum, both ways; unknown values throw. */
export function enumMap<Name extends string, Value extends number>(what: string, pairs: Record<Name, Value>) {
  const names = new Map<number, Name>(
    Object.entries<Value>(pairs).map(([name, value]) => [value, name as Name]),
  )
  return {
    toProto(name: Name): Value {
      if (Object.hasOwn(pairs, name)) return pairs[name]
      throw new RangeError(`no ${what} in the contract for '${String(name)}'`)
    },
    fromProto(value: Value): Name {
      const name = names.get(value)
      if (name === undefined) throw new RangeError(`unknown ${what} ${value} in a message`)
      return name
    },
  }
}

/** `{ [key]: value }` when the value is there, `{}` otherwise: optional keys stay absent, not undefined. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
}

/** For the `default:` of a switch over a union: only data outside its declared type gets there. */
export function unknownKind(what: string, value: never): never {
  throw new RangeError(`no ${what} in the contract for ${JSON.stringify(value)}`)
}
