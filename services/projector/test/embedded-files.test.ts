import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { openEmbeddedStore, uuidv7 } from '@coord/eventstore'
import { openReadDb, Projector, ReadModels } from '../src/index.ts'
import { metadataFor } from './helpers.ts'

t.test(
  'on the embedded default the read models live in <dataDir>/read-models and survive a restart',
  async (t) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'coord-projector-'))
    t.teardown(() => rm(dataDir, { recursive: true, force: true }))
    const register = (bureauId: string) => ({
      id: uuidv7(),
      type: 'BureauRegistered',
      data: {
        bureauId,
        kind: '委办局',
        parentId: null,
        effectiveDate: '2017-01-01',
        nameZh: bureauId,
        nameEn: bureauId,
        shortName: bureauId,
      },
      metadata: metadataFor(),
    })

    const run = async (bureauId: string) => {
      const store = await openEmbeddedStore({ dataDir })
      const db = await openReadDb({ dataDir })
      const projector = new Projector({ store, db })
      try {
        await projector.start()
        const { position } = await store.appendToStream(`bureau-${bureauId}`, [register(bureauId)])
        await projector.waitFor(position, 10_000)
        return (await new ReadModels(db).timeline()).entries.map((e) => e.streamId)
      } finally {
        await projector.stop()
        await db.close()
        await store.close()
      }
    }
    t.same(await run('b1'), ['bureau-b1'])
    t.same(
      await run('b2'),
      ['bureau-b2', 'bureau-b1'],
      'the second run resumed from the first one’s checkpoint',
    )
  },
)
