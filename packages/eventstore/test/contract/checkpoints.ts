import { openStore, rejectsWith, unique } from './helpers.ts'
import type { StoreFactory, Test } from './helpers.ts'

export function checkpointFeatures(t: Test, factory: StoreFactory): void {
  t.test('checkpoints', async (t) => {
    const store = await openStore(t, factory)

    t.test('a reader that never saved a checkpoint starts at 0', async (t) => {
      t.equal(await store.checkpoint(unique('reader')), 0)
    })

    t.test('a saved checkpoint is read back and only moves forward', async (t) => {
      const name = unique('reader')
      await store.saveCheckpoint(name, 5)
      t.equal(await store.checkpoint(name), 5)
      await store.saveCheckpoint(name, 9)
      t.equal(await store.checkpoint(name), 9)
      await store.saveCheckpoint(name, 3)
      t.equal(await store.checkpoint(name), 9, 'an older position does not move it back')
    })

    t.test('checkpoints of different readers are independent', async (t) => {
      const [a, b] = [unique('reader'), unique('reader')]
      await store.saveCheckpoint(a, 4)
      t.equal(await store.checkpoint(b), 0)
    })

    t.test('a bad name or position is INVALID_OPTION', async (t) => {
      for (const [name, position] of [
        ['', 1],
        ['x'.repeat(201), 1],
        ['ok', -1],
        ['ok', 1.5],
      ] as const) {
        await rejectsWith(
          t,
          store.saveCheckpoint(name, position),
          'INVALID_OPTION',
          `${name.length} ${position}`,
        )
      }
      await rejectsWith(t, store.checkpoint(''), 'INVALID_OPTION')
    })
  })
}
