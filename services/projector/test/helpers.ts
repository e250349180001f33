import type { Test } from 'tap'
import {
  openEmbeddedStore,
  uuidv7,
  type EventMetadata,
  type EventStore,
  type JsonValue,
} from '@coord/eventstore'
import { createTestSchema } from '@coord/eventstore/testing'
import { openEmbeddedReadDb, openPostgresReadDb, Projector, ReadModels, type ReadDb } from '../src/index.ts'
import type { Append } from './fixtures/scenario.ts'

export interface Harness {
  store: EventStore
  db: ReadDb
  projector: Projector
  models: ReadModels
  /** Appends events to one stream, each with its own business time (default 2018-01-02). */
  append(
    streamId: string,
    ...events: [type: string, data: JsonValue, meta?: Partial<EventMetadata>][]
  ): Promise<number>
  /** Resolves when the read models include everything appended so far. */
  caughtUp(): Promise<void>
}

export function metadataFor(overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    actor: { role: 'planner', user: 'plan.office' },
    correlationId: uuidv7(),
    causationId: null,
    occurredAt: '2018-01-02T09:00:00.000Z',
    ...overrides,
  }
}

/** An in-memory store and read-model database, a started projector, torn down with the test. */
export async function harness(
  t: Test,
  options: { batchSize?: number; start?: boolean } = {},
): Promise<Harness> {
  const store = await openEmbeddedStore()
  const db = await openEmbeddedReadDb()
  const projector = new Projector({
    store,
    db,
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
  })
  t.teardown(async () => {
    await projector.stop()
    await db.close()
    await store.close()
  })
  if (options.start !== false) await projector.start()
  return {
    store,
    db,
    projector,
    models: new ReadModels(db, { now: () => new Date('2018-06-01T04:00:00Z') }),
    async append(streamId, ...events) {
      const appended = await store.appendToStream(
        streamId,
        events.map(([type, data, meta]) => ({ id: uuidv7(), type, data, metadata: metadataFor(meta) })),
      )
      return appended.position
    },
    async caughtUp() {
      await projector.waitFor(await store.headPosition(), 10_000)
    },
  }
}

/** A day's business time: 10:00 in China Standard Time. */
export function on(day: string): Partial<EventMetadata> {
  return { occurredAt: `${day}T02:00:00.000Z` }
}

export function asBureau(bureauId: string, day: string): Partial<EventMetadata> {
  return { ...on(day), actor: { role: 'bureau', bureauId, user: `${bureauId}.staff` } }
}

/** Appends a generated history (see fixtures/scenario.ts); resolves to the last position. */
export async function appendAll(store: EventStore, appends: readonly Append[]): Promise<number> {
  let position = 0
  for (const { streamId, events } of appends) {
    const result = await store.appendToStream(
      streamId,
      events.map(({ type, data, occurredAt }) => ({
        id: uuidv7(),
        type,
        data,
        metadata: metadataFor({ occurredAt }),
      })),
    )
    position = result.position
  }
  return position
}

/**
 * How to open an empty read-model database on each adapter: PGlite in memory, and a PostgreSQL
 * schema of its own (named from `prefix`) dropped when `t` ends.
 */
export function readDbOpeners(
  t: Test,
  prefix: string,
): Record<'embedded' | 'postgres', () => Promise<ReadDb>> {
  return {
    embedded: () => openEmbeddedReadDb(),
    postgres: async () => {
      const { connectionString, schema, drop } = await createTestSchema(prefix)
      t.teardown(drop)
      return openPostgresReadDb({ connectionString, schema })
    },
  }
}
