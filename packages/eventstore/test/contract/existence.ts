import type { EventStore } from '../../src/index.ts'
import { newEvents, readAll, rejectsWith, unique, within } from './helpers.ts'
import type { Test } from './helpers.ts'

/** A place a store may be opened at (a schema, a directory), none there yet. */
export interface StorePlace {
  open(options: { create?: boolean }): Promise<EventStore>
  /** What the place holds now, compared before and after a refused open. */
  contents(): Promise<unknown>
  /** Frees the place (drops the schema, removes the files). */
  remove(): Promise<void>
}

/**
 * `create: false`, which read-only tools (exports, audits) open a store with: it opens a store
 * that exists and refuses, changing nothing, where none does. `places` gives the adapter's kinds of
 * place without a store, from nothing at all to an empty one.
 */
export function existenceFeatures(t: Test, places: Record<string, () => Promise<StorePlace>>): void {
  t.test('opening only a store that exists', async (t) => {
    for (const [kind, make] of Object.entries(places)) {
      t.test(`${kind} is refused with STORE_NOT_FOUND and left as it was`, async (t) => {
        const place = await make()
        t.teardown(() => place.remove())
        const before = await place.contents()
        await rejectsWith(t, place.open({ create: false }), 'STORE_NOT_FOUND')
        t.same(await place.contents(), before, 'nothing created')
      })
    }

    t.test('a store that exists opens with the events it holds', async (t) => {
      const make = Object.values(places)[0] as () => Promise<StorePlace>
      const place = await make()
      t.teardown(() => place.remove())
      const created = await place.open({})
      const streamId = unique('task')
      await created.appendToStream(streamId, newEvents(3))
      const written = await readAll(created)
      await within(created.close(), 'the creating store to close')

      const existing = await place.open({ create: false })
      t.teardown(() => existing.close())
      t.same(await readAll(existing), written)
      t.equal(await existing.headPosition(), 3)
    })
  })
}
