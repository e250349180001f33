import t from 'tap'
import { appendFeatures } from './append.ts'
import { badInputFeatures } from './bad-input.ts'
import { checkpointFeatures } from './checkpoints.ts'
import { closingFeatures } from './closing.ts'
import { concurrencyFeatures } from './concurrency.ts'
import { envelopeFeatures } from './envelope.ts'
import type { StoreFactory } from './helpers.ts'
import { idempotencyFeatures } from './idempotency.ts'
import { readFeatures } from './read.ts'
import { subscribeFeatures } from './subscribe.ts'

export type { StoreFactory }

/**
 * The event store contract, written once and run against every adapter. `factory` opens a fresh,
 * empty store each call; the adapters' test files pass a small page size (e.g. 7) so that reads
 * and subscriptions cross page boundaries. Each group opens its own store and shares it between
 * its tests, which use stream ids of their own and positions relative to the head.
 */
export function testEventStore(name: string, factory: StoreFactory): void {
  t.test(`${name}: event store contract`, async (t) => {
    appendFeatures(t, factory)
    idempotencyFeatures(t, factory)
    readFeatures(t, factory)
    envelopeFeatures(t, factory)
    badInputFeatures(t, factory)
    concurrencyFeatures(t, factory)
    subscribeFeatures(t, factory)
    checkpointFeatures(t, factory)
    closingFeatures(t, factory)
  })
}
