import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import t from 'tap'
import { openEmbeddedStore } from '../src/index.ts'
import { existenceFeatures, type StorePlace } from './contract/existence.ts'
import { testEventStore } from './contract/features.ts'
import { newEvents, positionsOf, range, readAll, readStream } from './contract/helpers.ts'

testEventStore('embedded (in-memory PGlite)', async () => {
  const store = await openEmbeddedStore({ pageSize: 7 })
  return { store, teardown: () => store.close() }
})

t.test('embedded store with a data directory', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'coord-eventstore-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))

  t.test('events survive close and reopen, and positions continue after them', async (t) => {
    const first = await openEmbeddedStore({ dataDir })
    await first.appendToStream('plan-1', newEvents(3), { idempotency: { key: 'import-1', fingerprint: 'f' } })
    await first.appendToStream('task-1', newEvents(2))
    const before = await readAll(first)
    await first.close()

    const second = await openEmbeddedStore({ dataDir })
    t.teardown(() => second.close())
    t.same(await readAll(second), before, 'the same events, envelopes included')
    t.equal(await second.headPosition(), 5)
    t.same(await second.streamState('task-1'), { streamId: 'task-1', revision: 2, position: 5 })
    t.same(await second.idempotentResult('import-1'), {
      streamId: 'plan-1',
      revision: 3,
      position: 3,
      fingerprint: 'f',
    })
    const next = await second.appendToStream('plan-1', newEvents(1), { expectedRevision: 3 })
    t.same(next, { streamId: 'plan-1', revision: 4, position: 6 })
    t.same(positionsOf(await readStream(second, 'plan-1')), [1, 2, 3, 6])
    t.same(positionsOf(await readAll(second)), range(1, 6))
  })
})

/** A data directory path under a temporary directory of its own, prepared by `prepare`. */
async function directoryPlace(prepare: (dataDir: string) => Promise<void>): Promise<StorePlace> {
  const parent = await mkdtemp(join(tmpdir(), 'coord-eventstore-'))
  const dataDir = join(parent, 'store')
  await prepare(dataDir)
  return {
    open: (options) => openEmbeddedStore({ dataDir, ...options }),
    contents: async () => (existsSync(dataDir) ? (await readdir(dataDir)).sort() : null),
    remove: () => rm(parent, { recursive: true, force: true }),
  }
}

existenceFeatures(t, {
  'a directory that does not exist': () => directoryPlace(() => Promise.resolve()),
  'an empty directory': () => directoryPlace((dataDir) => mkdir(dataDir).then(() => undefined)),
  'a PGlite database without a store': () =>
    directoryPlace(async (dataDir) => {
      const db = await PGlite.create(dataDir)
      await db.query('create table unrelated (id int)')
      await db.close()
    }),
})

t.test('an in-memory store cannot be opened as an existing one', async (t) => {
  await t.rejects(openEmbeddedStore({ create: false }), { code: 'STORE_NOT_FOUND' })
})

t.test('a data directory that cannot be made is refused with the path and the reason', async (t) => {
  const parent = await mkdtemp(join(tmpdir(), 'coord-eventstore-'))
  t.teardown(() => rm(parent, { recursive: true, force: true }))
  const file = join(parent, 'a-file')
  await writeFile(file, 'not a directory')
  await t.rejects(openEmbeddedStore({ dataDir: file }), { code: 'EEXIST', syscall: 'mkdir', path: file })
  await t.rejects(openEmbeddedStore({ dataDir: join(file, 'store') }), {
    code: 'ENOTDIR',
    path: join(file, 'store'),
  })
})
