import { randomBytes } from 'node:crypto'
import type { Test } from 'tap'
import { isEventStoreError, uuidv7 } from '../../src/index.ts'
import type {
  EventMetadata,
  EventStore,
  EventStoreError,
  EventStoreErrorCode,
  JsonValue,
  NewEvent,
  RecordedEvent,
} from '../../src/index.ts'

export type { Test }

/** Opens a fresh, empty store; `teardown` closes it and frees what it used (schema, files). */
export type StoreFactory = () => Promise<{ store: EventStore; teardown(): Promise<void> }>

/**
 * Opens a store for the tests of `t` and closes it in teardown. The close is bounded, so a close
 * that never settles fails here by name instead of stalling the run.
 */
export async function openStore(t: Test, factory: StoreFactory): Promise<EventStore> {
  const opened = await factory()
  t.teardown(() => within(opened.teardown(), 'the store to close'))
  return opened.store
}

/** A stream id (or prefix) no other test uses, so tests can share one store. */
export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`
}

export function metadataFor(overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    actor: { role: 'bureau', bureauId: 'ip-office', user: 'zhang.san' },
    correlationId: uuidv7(),
    causationId: null,
    occurredAt: '2017-05-22T09:30:00.000Z',
    ...overrides,
  }
}

export function newEvent(
  type = 'TaskPublished',
  data: JsonValue = {},
  extra: Partial<NewEvent> = {},
): NewEvent {
  return { id: uuidv7(), type, data, metadata: metadataFor(), ...extra }
}

/** `count` events numbered in their data, so order can be checked. */
export function newEvents(count: number, type = 'ProgressReported'): NewEvent[] {
  return Array.from({ length: count }, (_, n) => newEvent(type, { n }))
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = []
  for await (const item of items) all.push(item)
  return all
}

export const readStream = (
  store: EventStore,
  streamId: string,
  options?: Parameters<EventStore['readStream']>[1],
) => collect(store.readStream(streamId, options))

export const readAll = (store: EventStore, options?: Parameters<EventStore['readAll']>[0]) =>
  collect(store.readAll(options))

/**
 * Awaits `work` and asserts it fails with an EventStoreError of `code`; returns the error so the
 * caller can check more of it.
 */
export async function rejectsWith(
  t: Test,
  work: Promise<unknown> | (() => Promise<unknown>),
  code: EventStoreErrorCode,
  message = `fails with ${code}`,
): Promise<EventStoreError | undefined> {
  try {
    const value = await (typeof work === 'function' ? work() : work)
    t.fail(`${message}: it resolved instead`, { value: value as never })
    return undefined
  } catch (error) {
    if (isEventStoreError(error, code)) {
      t.pass(message)
      return error
    }
    t.fail(`${message}: it failed otherwise`, { error: error as never })
    return undefined
  }
}

/** What a store holds, to show that a rejected call wrote nothing. */
export async function snapshot(store: EventStore, streamId: string) {
  return { head: await store.headPosition(), stream: await store.streamState(streamId) }
}

/**
 * Waits until `done()` holds, checking every few milliseconds. The timeout is only a bound so a
 * broken store fails the test instead of hanging it; no test asserts how fast anything happens.
 */
export async function waitFor(done: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms`)
    await sleep(5)
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export interface Deferred<T> {
  promise: Promise<T>
  resolve(value: T): void
  reject(error: unknown): void
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** How a promise ended, without letting a rejection escape. */
export async function settle<T>(
  promise: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await promise }
  } catch (error) {
    return { ok: false, error }
  }
}

export const positionsOf = (events: RecordedEvent[]) => events.map((e) => e.position)
export const revisionsOf = (events: RecordedEvent[]) => events.map((e) => e.revision)
export const idsOf = (events: { id: string }[]) => events.map((e) => e.id)

/** [from, from + 1, …, to]; empty when to < from. */
export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i)
}

/** Rejects when `promise` has not settled after `ms`: a bound against hanging, not a timing check. */
export async function within<T>(promise: Promise<T>, what: string, ms = 20_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up waiting for ${what} after ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** A subscription that records what it delivers; stopped in teardown. */
export function track(
  t: Test,
  store: EventStore,
  options: Parameters<EventStore['subscribeToAll']>[0] = {},
  onEvent?: (event: RecordedEvent) => void | Promise<void>,
) {
  const events: RecordedEvent[] = []
  const subscription = store.subscribeToAll(options, async (event) => {
    await onEvent?.(event)
    events.push(event)
  })
  // A subscription that failed on purpose rejects `done`; the test inspects that itself.
  subscription.done.catch(() => undefined)
  t.teardown(() =>
    within(
      subscription.stop().catch(() => undefined),
      'subscription.stop() to resolve',
    ),
  )
  const until = (count: number, what = `${count} events`) => waitFor(() => events.length >= count, what)
  return { subscription, events, until }
}
