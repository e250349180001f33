import { createHash } from 'node:crypto'
import type { Command, CommandActor, Decider, DomainEvent } from '@coord/domain'
import {
  WrongExpectedRevision,
  uuidv7,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type IdempotencyKey,
  type JsonValue,
  type NewEvent,
} from '@coord/eventstore'
import { kitErrors } from './errors.ts'

export interface ExecuteCommandOptions<C extends Command, E extends DomainEvent, S> {
  store: EventStore
  streamId: string
  decider: Decider<C, E, S>
  command: C
  /** The revision the client last saw (If-Match); a different current revision is a 409. */
  expectedRevision?: number | undefined
  /** From `idempotencyFrom`; scoped per actor before it reaches the store. */
  idempotency?: IdempotencyKey | undefined
  /** Metadata for each event (see `commandContext(request).buildMetadata`). */
  buildMetadata: (event: E) => EventMetadata
}

/** What a command answers: where the stream stands now and which events it recorded. */
export interface CommandResult {
  streamId: string
  revision: number
  position: number
  events: string[]
  /** True when this answer repeats an earlier execution's (an idempotent retry): nothing new was recorded. */
  replayed: boolean
}

/**
 * The one way commands run: decide on the stream's state, check the client's revision, and append
 * with that state's revision as the expected one, so a concurrent writer never causes a lost
 * update. The state is the one this process kept after its last command on the stream, unread;
 * when the store refuses the append because another writer got in, or that state refuses the
 * command or finds nothing to do, the stream is read on from there and the command decided again.
 * Commands on one stream take turns within the process. A client that named its revision
 * (If-Match) gets a 409 when the stream moved on. One that did not asked to act on the stream as
 * it is: when another writer (a bureau, the deadline watcher, a process manager) got in between
 * the read and the append, the command is decided again on the new state (after a short random
 * pause), up to `conflictAttempts` times. With an idempotency key, a retry gets the first result
 * and appends nothing.
 */
export async function executeCommand<C extends Command, E extends DomainEvent, S>(
  options: ExecuteCommandOptions<C, E, S>,
): Promise<CommandResult> {
  const attempts = options.expectedRevision === undefined ? conflictAttempts : 1
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTurn(options.store, options.streamId, () => executeOnce(options, attempt === 1))
    } catch (error) {
      if (!(error instanceof WrongExpectedRevision) || attempt >= attempts) throw error
      // A short random pause, growing with each loss, so that writers racing on one stream from
      // other processes spread out instead of colliding again on their next attempt.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt))
    }
  }
}

/**
 * The last command queued on each stream of each store, in this process. Commands on one stream
 * run one after the other here, so they never race each other; the revision check still guards
 * against writers in other processes (and the retries above absorb those races).
 */
const queues = new WeakMap<EventStore, Map<string, Promise<unknown>>>()

async function inTurn<T>(store: EventStore, streamId: string, run: () => Promise<T>): Promise<T> {
  let streams = queues.get(store)
  if (!streams) queues.set(store, (streams = new Map<string, Promise<unknown>>()))
  const before = streams.get(streamId) ?? Promise.resolve()
  const mine = before.then(run, run)
  const settled = mine.then(
    () => undefined,
    () => undefined,
  )
  streams.set(streamId, settled)
  try {
    return await mine
  } finally {
    // The last in the queue leaves no entry behind.
    if (streams.get(streamId) === settled) streams.delete(streamId)
  }
}

/** A stream's state as folded up to `revision` (the event at `position`). */
interface Folded<S> {
  state: S
  revision: number
  position: number
}

/** How many streams' folded states each decider keeps per store in this process (least recently used go first). */
export const foldedStreamsKept = 5_000

const folds = new WeakMap<EventStore, WeakMap<object, Map<string, Folded<unknown>>>>()

/** The folded states this process keeps for one decider's streams in one store. */
function keptFolds<S>(store: EventStore, decider: object): Map<string, Folded<S>> {
  let byDecider = folds.get(store)
  if (!byDecider) folds.set(store, (byDecider = new WeakMap()))
  let kept = byDecider.get(decider)
  if (!kept) byDecider.set(decider, (kept = new Map<string, Folded<unknown>>()))
  return kept as Map<string, Folded<S>>
}

/** Keeps `folded` as the stream's latest, the most recently used; the least recently used go past the bound. */
function keep<S>(kept: Map<string, Folded<S>>, streamId: string, folded: Folded<S>): void {
  kept.delete(streamId)
  kept.set(streamId, folded)
  if (kept.size > foldedStreamsKept) kept.delete(kept.keys().next().value as string)
}

/**
 * The stream's state now: folded from where this process last folded it, reading only the events
 * recorded since (by this process or any other), so a command on a long stream does not read and
 * fold its whole history again. States are never mutated (evolve returns new ones), so a kept one
 * stays what it was. Called inside the stream's turn: no two folds of one stream overlap here.
 */
async function foldedStream<C extends Command, E extends DomainEvent, S>(
  store: EventStore,
  streamId: string,
  decider: Decider<C, E, S>,
): Promise<Folded<S>> {
  const kept = keptFolds<S>(store, decider)
  let folded: Folded<S> = kept.get(streamId) ?? { state: decider.initialState, revision: 0, position: 0 }
  for await (const recorded of store.readStream(streamId, { fromRevision: folded.revision + 1 })) {
    const state = decider.evolve(folded.state, { type: recorded.type, data: recorded.data } as E)
    folded = { state, revision: recorded.revision, position: recorded.position }
  }
  keep(kept, streamId, folded)
  return folded
}

/**
 * Folds in the events this process just appended, as the store will give them back: their data
 * as JSON, objects' keys in jsonb's order (shorter first, then bytewise), so the kept state is the
 * one a read of the stream would fold.
 */
function foldAppended<C extends Command, E extends DomainEvent, S>(
  store: EventStore,
  streamId: string,
  decider: Decider<C, E, S>,
  from: Folded<S>,
  events: readonly NewEvent[],
  result: AppendResult,
): void {
  let state = from.state
  for (const event of events) {
    state = decider.evolve(state, { type: event.type, data: asStored(event.data) } as E)
  }
  keep(keptFolds<S>(store, decider), streamId, {
    state,
    revision: result.revision,
    position: result.position,
  })
}

/**
 * A value as a jsonb column gives it back: through JSON (undefined properties dropped, dates as
 * strings, minus zero as zero), objects' keys in jsonb's order.
 */
export function asStored(value: JsonValue): JsonValue {
  return inJsonbOrder(JSON.parse(JSON.stringify(value)) as JsonValue)
}

/** jsonb keeps an object's keys shortest first, then by their bytes. */
function inJsonbOrder(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(inJsonbOrder)
  if (value === null || typeof value !== 'object') return value
  const keys = Object.keys(value)
    .map((key) => ({ key, bytes: Buffer.from(key) }))
    .sort((a, b) => a.bytes.length - b.bytes.length || Buffer.compare(a.bytes, b.bytes))
  const stored: { [key: string]: JsonValue } = {}
  for (const { key } of keys) stored[key] = inJsonbOrder(value[key] as JsonValue)
  return stored
}

/** How often a command without If-Match is decided again after losing a race; then it is a 409. */
export const conflictAttempts = 5

async function executeOnce<C extends Command, E extends DomainEvent, S>(
  options: ExecuteCommandOptions<C, E, S>,
  firstAttempt: boolean,
): Promise<CommandResult> {
  const { store, streamId, decider, command } = options
  const idempotency = options.idempotency && scopedKey(options.idempotency, command.metadata.actor)
  if (idempotency) {
    const earlier = await store.idempotentResult(idempotency.key)
    if (earlier && earlier.fingerprint !== idempotency.fingerprint) {
      throw kitErrors.make('IDEMPOTENCY_KEY_REUSED')
    }
    if (earlier) return replayed(store, earlier, idempotency.key)
  }

  // Decided first on the state kept from this process's last command on the stream, unread: when
  // no other process wrote since, the append's revision check passes and the stream is never read.
  // Anything else (another writer, a refusal or nothing to do on that state, a client's revision
  // that differs from it) is decided again on the stream as it is now; so is every attempt after
  // a lost race, as another writer is at work.
  const kept = firstAttempt ? keptFolds<S>(store, decider).get(streamId) : undefined
  if (kept && (options.expectedRevision === undefined || options.expectedRevision === kept.revision)) {
    const answer = await decideAndAppend(options, kept, idempotency, true)
    if (answer) return answer
  }
  const current = await foldedStream(store, streamId, decider)
  const expected = options.expectedRevision
  if (expected !== undefined && expected !== current.revision) {
    throw new WrongExpectedRevision(streamId, expected, current.revision)
  }
  return (await decideAndAppend(options, current, idempotency, false)) as CommandResult
}

/**
 * Decides the command on `folded` and appends what it decided, expecting the stream still at
 * `folded.revision`. `tentative` (a kept state, maybe stale): a refusal, nothing to do, or another
 * writer's event in between answer undefined, for the caller to read the stream and decide again.
 */
async function decideAndAppend<C extends Command, E extends DomainEvent, S>(
  options: ExecuteCommandOptions<C, E, S>,
  folded: Folded<S>,
  idempotency: IdempotencyKey | undefined,
  tentative: boolean,
): Promise<CommandResult | undefined> {
  const { store, streamId, decider, command } = options
  const { state, ...current } = folded
  let decided: E[]
  try {
    decided = decider.decide(command, state)
  } catch (error) {
    if (tentative) return undefined
    throw error
  }
  if (decided.length === 0) {
    if (tentative) return undefined
    // Under a key, nothing to do is recorded too (an append of no events): a retry then gets this
    // answer and appends nothing, even once another writer has changed the stream.
    if (!idempotency) return { streamId, ...current, events: [], replayed: false }
  }
  const events: NewEvent[] = decided.map((event) => ({
    id: uuidv7(),
    type: event.type,
    data: event.data as JsonValue,
    metadata: {
      ...options.buildMetadata(event),
      ...(idempotency ? { idempotencyKey: idempotency.key } : {}),
    },
  }))
  let result: AppendResult
  try {
    result = await store.appendToStream(streamId, events, {
      expectedRevision: current.revision,
      ...(idempotency ? { idempotency } : {}),
    })
  } catch (error) {
    if (tentative && error instanceof WrongExpectedRevision) return undefined
    throw error
  }
  // A concurrent retry with the same key may have won: the store then answers with its result,
  // whose events are not these (the stream is read on at the next command). With nothing decided,
  // the answer is this one when it names the stream as decided on and no events under the key (a
  // retry in another process that found nothing to do either would have answered the same).
  const answer = idempotency
    ? await replayed(store, result, idempotency.key, new Set(events.map((e) => e.id)))
    : { ...result, events: events.map((e) => e.type), replayed: false }
  if (events.length === 0 && answer.events.length === 0 && result.revision === current.revision)
    answer.replayed = false
  if (!answer.replayed) foldAppended(store, streamId, decider, folded, events, result)
  return answer
}

/**
 * Keys are per actor (role, bureau and user), so two users choosing the same key never collide.
 * The scope is hashed to keep the stored key short whatever the user name.
 */
export function scopedKey(idempotency: IdempotencyKey, actor: CommandActor): IdempotencyKey {
  const scope = createHash('sha256')
    .update(JSON.stringify([actor.role, actor.bureauId ?? null, actor.user]))
    .digest('base64url')
    .slice(0, 22)
  return { key: `${scope}:${idempotency.key}`, fingerprint: idempotency.fingerprint }
}

/** The first execution's answer, rebuilt from its events: they end at the stored revision. */
async function replayed(
  store: EventStore,
  result: AppendResult,
  key: string,
  ownIds?: Set<string>,
): Promise<CommandResult> {
  const types: string[] = []
  let ours = false
  let revision = result.revision
  let position = result.position
  const backwards = store.readStream(result.streamId, { fromRevision: revision, direction: 'backwards' })
  for await (const event of backwards) {
    // One append's events have consecutive revisions and positions and share the key.
    if (event.revision !== revision || event.position !== position) break
    if (event.metadata.idempotencyKey !== key) break
    types.unshift(event.type)
    ours ||= ownIds?.has(event.id) ?? false
    revision -= 1
    position -= 1
  }
  const { streamId } = result
  return { streamId, revision: result.revision, position: result.position, events: types, replayed: !ours }
}
