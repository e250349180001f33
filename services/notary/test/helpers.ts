import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import {
  openEmbeddedStore,
  openPostgresStore,
  uuidv7,
  type EventStore,
  type NewEvent,
} from '@coord/eventstore'
import { createTestSchema } from '@coord/eventstore/testing'
import type { Test } from 'tap'
import {
  Notary,
  openEmbeddedNotaryDb,
  openPostgresNotaryDb,
  type NotaryDb,
  type NotaryOptions,
} from '../src/index.ts'

export type AdapterName = 'embedded' | 'postgres'
export const adapters: AdapterName[] = ['embedded', 'postgres']

/** A store, a notary database and a signing key of the test's own, on one adapter, torn down after. */
export interface Setup {
  store: EventStore
  db: NotaryDb
  key: KeyObject
  /** PostgreSQL only: the connection string and the store's schema, for SQL of the test's own. */
  postgres: { connectionString: string; schema: string } | null
  notary: (options?: Partial<NotaryOptions>) => Notary
}

export async function setup(t: Test, adapter: AdapterName): Promise<Setup> {
  const key = generateKeyPairSync('ed25519').privateKey
  const notaries: Notary[] = []
  let store: EventStore
  let db: NotaryDb
  let postgres: Setup['postgres'] = null
  if (adapter === 'embedded') {
    store = await openEmbeddedStore()
    db = await openEmbeddedNotaryDb()
    t.teardown(async () => {
      for (const notary of notaries) await notary.stop()
      await db.close()
      await store.close()
    })
  } else {
    const storeSchema = await createTestSchema('notary_store')
    const notarySchema = await createTestSchema('notary_log')
    store = await openPostgresStore({
      connectionString: storeSchema.connectionString,
      schema: storeSchema.schema,
    })
    db = await openPostgresNotaryDb({
      connectionString: notarySchema.connectionString,
      schema: notarySchema.schema,
    })
    postgres = { connectionString: storeSchema.connectionString, schema: storeSchema.schema }
    t.teardown(async () => {
      for (const notary of notaries) await notary.stop()
      await db.close()
      await store.close()
      await storeSchema.drop()
      await notarySchema.drop()
    })
  }
  return {
    store,
    db,
    key,
    postgres,
    notary: (options = {}) => {
      const notary = new Notary({
        store,
        db,
        signingKey: key,
        headIntervalMs: 0,
        yearEndCheckMs: 0,
        ...options,
      })
      notaries.push(notary)
      return notary
    },
  }
}

/** An event as a service writes it, with Chinese text and nested data. */
export function progressEvent(n: number): NewEvent {
  return {
    id: uuidv7(),
    type: 'ProgressReported',
    data: {
      bureauId: 'bureau-ip',
      percent: n % 101,
      narrative: `第${n}次进展：专利申请量增长`,
      evidence: [{ n }],
    },
    metadata: {
      actor: { role: 'bureau', bureauId: 'bureau-ip', user: 'ip-office' },
      correlationId: uuidv7(),
      causationId: null,
      occurredAt: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(),
    },
  }
}

/** Appends `count` events over a few task streams, some in batches of several. */
export async function appendEvents(store: EventStore, count: number, offset = 0): Promise<void> {
  let n = offset
  while (n < offset + count) {
    const batch = Math.min(1 + (n % 4), offset + count - n)
    const events = Array.from({ length: batch }, (_, i) => progressEvent(n + i))
    await store.appendToStream(`task-pudong-ip-2017/三.(二).${n % 7}`, events)
    n += batch
  }
}
