/**
 * An event as the planning service decides it: a past-tense type and JSON-only data (strings,
 * numbers, booleans, null, arrays, plain objects; dates as ISO strings). It matches
 * `DomainEvent` of @coord/domain structurally, so this package depends on nothing; ids and
 * metadata are added by the edge that appends it.
 */
export interface EventOf<Type extends string, Data> {
  type: Type
  data: Data
}

/** The data of an event whose type says everything. */
export type NoData = Record<string, never>
