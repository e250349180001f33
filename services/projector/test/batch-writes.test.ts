import t from 'tap'
import { openEmbeddedStore, type RecordedEvent } from '@coord/eventstore'
import { digestVersion, openEmbeddedReadDb, tablesOf, type ReadDb } from '../src/index.ts'
import { applyBatch } from '../src/runner.ts'
import { createVersion, ensureStateTable } from '../src/schema.ts'
import { scenario } from './fixtures/scenario.ts'
import { appendAll, readDbOpeners } from './helpers.ts'

// The task and timeline rows of a batch are folded in memory and written set-based at its end;
// event by event (the careful path, one savepoint each) they are written at every event. Both
// must leave the same tables, whatever the batch size, on either database.

async function history(): Promise<RecordedEvent[]> {
  const store = await openEmbeddedStore()
  try {
    await appendAll(store, scenario(30, 11))
    const events: RecordedEvent[] = []
    for await (const event of store.readAll({ fromPosition: 1 })) events.push(event)
    return events
  } finally {
    await store.close()
  }
}

async function build(db: ReadDb, events: RecordedEvent[], size: number, careful: boolean) {
  await ensureStateTable(db)
  const version = await createVersion(db, 'live')
  for (let at = 0; at < events.length; at += size) {
    await applyBatch(db, tablesOf(version), events.slice(at, at + size), { careful, logger: undefined })
  }
  return digestVersion(db, version)
}

const ways = [
  { name: 'one batch', size: Number.MAX_SAFE_INTEGER, careful: false },
  { name: 'batches of 7', size: 7, careful: false },
  { name: 'batches of 1', size: 1, careful: false },
  { name: 'event by event with savepoints', size: 50, careful: true },
]

t.test('every way of batching leaves the same tables, on PGlite and on PostgreSQL', async (t) => {
  const events = await history()
  t.ok(events.filter((e) => e.type === 'TaskAssigned').length > 30, 'the history reassigns tasks')
  const open = readDbOpeners(t, 'rm_batch')
  let reference: Awaited<ReturnType<typeof build>> | undefined
  for (const [adapter, opening] of Object.entries(open)) {
    for (const way of ways) {
      const db = await opening()
      t.teardown(() => db.close())
      const digest = await build(db, events, way.size, way.careful)
      reference ??= digest
      t.same(digest, reference, `${adapter}, ${way.name}`)
    }
  }
  const taskEvents = events.filter((e) => e.streamId.startsWith('task-')).length
  t.equal(reference?.task_version.rows, taskEvents, 'a task version per task event')
})

t.test('an absent report, completion, rejection or verification is stored as jsonb null', async (t) => {
  const events = await history()
  const db = await openEmbeddedReadDb()
  t.teardown(() => db.close())
  await build(db, events, 100, false)
  const kinds = await db.query<{ kind: string }>(
    `select distinct jsonb_typeof(rejection) as kind from ${tablesOf(1).task}`,
  )
  t.same(kinds, [{ kind: 'null' }], 'no SQL NULL: rows written before batching had jsonb null')
})
