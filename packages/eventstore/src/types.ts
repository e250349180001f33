/** JSON values as stored in event data and metadata. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }
export type JsonObject = { [key: string]: JsonValue }

/** Who caused an event: a role, the bureau acting (for role `bureau`) and the user. */
export interface Actor {
  role: string
  bureauId?: string | undefined
  user: string
}

/** Metadata supplied by the writer. `occurredAt` is business time (e.g. the meeting date). */
export interface EventMetadata {
  actor: Actor
  correlationId: string
  causationId: string | null
  occurredAt: string
  /** Anything else a writer wants to keep with the event (e.g. the idempotency key). */
  [extra: string]: JsonValue | Actor | undefined
}

/** Metadata as read back: the store adds `recordedAt`, the time it committed the event. */
export type RecordedMetadata = EventMetadata & { recordedAt: string }

/** An event to append. `id` is a UUIDv7 chosen by the writer, so a retry can be recognised. */
export interface NewEvent<Type extends string = string, Data extends JsonValue = JsonValue> {
  id: string
  type: Type
  schemaVersion?: number
  data: Data
  metadata: EventMetadata
}

/** An event as stored: the envelope of BRIEF section 4. Revisions and positions start at 1. */
export interface RecordedEvent<Type extends string = string, Data extends JsonValue = JsonValue> {
  id: string
  streamId: string
  revision: number
  position: number
  type: Type
  schemaVersion: number
  data: Data
  metadata: RecordedMetadata
}

/**
 * What the writer expects of the stream before appending: `any`; `no_stream` (it must not exist);
 * `stream_exists`; or the exact current revision (the number of events in the stream).
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number

/** A command-level idempotency key: a retry with the same key and fingerprint gets the first result. */
export interface IdempotencyKey {
  key: string
  /** Hash of the request; the same key with another fingerprint is an error. */
  fingerprint: string
}

export interface AppendOptions {
  expectedRevision?: ExpectedRevision
  /**
   * With a key, an append of no events is allowed: it records the key against the stream as it
   * stands (its revision and last event's position, after the expected revision is checked) and
   * writes no event, so a command that changed nothing answers its retries the same way.
   */
  idempotency?: IdempotencyKey
}

export interface AppendResult {
  streamId: string
  /** The stream's revision after the append (the revision of its last event). */
  revision: number
  /** The global position of the last event appended (of the stream's last event for an append of none). */
  position: number
}

export interface ReadStreamOptions {
  /** First revision to read (inclusive); default 1 forwards, the last revision backwards. */
  fromRevision?: number
  direction?: 'forwards' | 'backwards'
  maxCount?: number
}

export interface ReadAllFilter {
  typePrefix?: string
  streamPrefix?: string
}

export interface ReadAllOptions {
  /** First global position to read (inclusive); default 1. */
  fromPosition?: number
  maxCount?: number
  filter?: ReadAllFilter
}

/** Receives a subscription's events; an event may be shared with other subscriptions: read it, never change it. */
export type EventHandler = (event: RecordedEvent) => void | Promise<void>

export interface SubscribeOptions {
  /** First global position to deliver (inclusive): a checkpoint `c` resumes with `c + 1`. */
  fromPosition?: number
  filter?: ReadAllFilter
  /** Called when the handler throws; the subscription then stops (nothing is skipped). */
  onError?: (error: unknown, event: RecordedEvent) => void
}

export interface Subscription {
  /** The position of the last event delivered (0 before the first). */
  readonly position: number
  /** Resolves when stopped; rejects with the handler's error if the handler failed. */
  readonly done: Promise<void>
  stop(): Promise<void>
}

export interface StreamState {
  streamId: string
  revision: number
  position: number
}

export interface EventStore {
  readonly adapter: 'embedded' | 'postgres'
  appendToStream(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult>
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>
  /** The current revision of a stream, or null when it does not exist. */
  streamState(streamId: string): Promise<StreamState | null>
  /** The result recorded for an idempotency key, or null when the key is unknown. */
  idempotentResult(key: string): Promise<(AppendResult & { fingerprint: string }) | null>
  /** The global position of the last committed event (0 when empty). */
  headPosition(): Promise<number>
  subscribeToAll(options: SubscribeOptions, handler: EventHandler): Subscription
  /** The last position a named reader recorded as done (0 when it never did). */
  checkpoint(name: string): Promise<number>
  /** Records that a named reader is done up to `position`; a checkpoint never moves back. */
  saveCheckpoint(name: string, position: number): Promise<void>
  close(): Promise<void>
}
