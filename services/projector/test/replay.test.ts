import t, { type Test } from 'tap'
import { openEmbeddedStore, type EventStore, type RecordedEvent } from '@coord/eventstore'
import { digestVersion, replayAsOf, tablesOf, type ReadDb, type SqlClient } from '../src/index.ts'
import { applyBatch } from '../src/runner.ts'
import { createVersion, ensureStateTable } from '../src/schema.ts'
import { failingAfter } from './fixtures/failing-store.ts'
import { scenario, type Append } from './fixtures/scenario.ts'
import { appendAll, readDbOpeners } from './helpers.ts'

// A replay keeps its task rows in memory, folds a batch of task events while the batch before is
// written, appends the versions and the timeline with COPY, and makes the keys and indexes of those
// tables at its end. It must leave the tables and the schema the live projector's way leaves, with
// COPY or without, after a batch whose write fails, and after one with an event no model can apply.

/** A run of task events after the scenario, with a malformed publication among them. */
function taskRun(): Append[] {
  const at = '2018-03-01T02:00:00.000Z'
  const report = (percent: number) => ({
    type: 'ProgressReported',
    data: { bureauId: 'market', percent, narrative: `进展${percent}`, evidence: [] },
    occurredAt: at,
  })
  return [
    {
      streamId: 'task-p1/run',
      events: [
        {
          type: 'TaskPublished',
          data: {
            planId: 'p1',
            taskId: 'run',
            title: '连续上报',
            sectionPath: ['三'],
            basis: { kind: 'plan-clause', planId: 'p1', clause: 'run' },
          },
          occurredAt: at,
        },
        { type: 'TaskAssigned', data: { leads: ['market'], partners: ['customs'] }, occurredAt: at },
        ...Array.from({ length: 20 }, (_, i) => report(i + 1)),
      ],
    },
    { streamId: 'task-p1/bad', events: [{ type: 'TaskPublished', data: { planId: 'p1' }, occurredAt: at }] },
    { streamId: 'task-p1/run', events: Array.from({ length: 10 }, (_, i) => report(30 + i)) },
  ]
}

async function history(
  t: Test,
  appends: Append[] = [...scenario(30, 11), ...taskRun()],
): Promise<{ store: EventStore; events: RecordedEvent[] }> {
  const store = await openEmbeddedStore()
  t.teardown(() => store.close())
  await appendAll(store, appends)
  const events: RecordedEvent[] = []
  for await (const event of store.readAll({ fromPosition: 1 })) events.push(event)
  return { store, events }
}

/** Columns, constraints and indexes of the current schema's tables, schema names left out. */
async function schemaOf(db: SqlClient): Promise<unknown[]> {
  const [{ schema } = { schema: '' }] = await db.query<{ schema: string }>(
    'select current_schema() as schema',
  )
  const rows = await db.query<{ line: string }>(
    `select table_name || ' ' || column_name || ' ' || ordinal_position || ' ' || data_type || ' ' ||
       is_nullable || ' ' || coalesce(column_default, '') as line
     from information_schema.columns where table_schema = current_schema() and table_name like 'rm\\_v%'
     union all
     select conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
     from pg_constraint
     where connamespace = current_schema()::regnamespace and conrelid::regclass::text like 'rm\\_v%'
     union all
     select indexname || ' ' || indexdef from pg_indexes
     where schemaname = current_schema() and tablename like 'rm\\_v%'
     order by 1`,
  )
  return rows.map((row) => row.line.replaceAll(`${schema}.`, ''))
}

/** A version built the live projector's way (all keys up front), in batches of 100. */
async function live(db: ReadDb, events: RecordedEvent[]) {
  await ensureStateTable(db)
  const version = await createVersion(db, 'live')
  for (let at = 0; at < events.length; at += 100) {
    const batch = events.slice(at, at + 100)
    // As the projector does: a batch that fails is applied again event by event.
    await applyBatch(db, tablesOf(version), batch, { careful: false, logger: undefined }).catch(() =>
      applyBatch(db, tablesOf(version), batch, { careful: true, logger: undefined }),
    )
  }
  return { digest: await digestVersion(db, version), schema: await schemaOf(db) }
}

/**
 * The target, its transactions' clients without COPY, or with a COPY that fails once: the one
 * holding the run's tenth report, in a batch of task events alone, written while the next is folded.
 */
function variant(db: ReadDb, way: 'copy' | 'no copy' | 'a batch fails'): ReadDb {
  if (way === 'copy') return db
  let failures = way === 'a batch fails' ? 1 : 0
  const client = (tx: SqlClient): SqlClient =>
    way === 'no copy'
      ? { query: (sql, params) => tx.query(sql, params) }
      : {
          query: (sql, params) => tx.query(sql, params),
          copyFrom: async (table, columns, data) => {
            if (failures > 0 && data.includes('进展10')) {
              failures -= 1
              throw new Error('the connection broke')
            }
            await tx.copyFrom?.(table, columns, data)
          },
        }
  return {
    ...db,
    query: (sql, params) => db.query(sql, params),
    transaction: (work) => db.transaction((tx) => work(client(tx))),
    batch: <Row>(first: string, work: (tx: SqlClient, rows: Row[]) => Promise<string | null>) =>
      db.batch<Row>(first, (tx, rows) => work(client(tx), rows)),
  }
}

t.test('a replay leaves the tables and schema of the live way, on PGlite and PostgreSQL', async (t) => {
  const { store, events } = await history(t)
  const open = readDbOpeners(t, 'rm_replay')
  for (const [adapter, opening] of Object.entries(open)) {
    const reference = await opening()
    t.teardown(() => reference.close())
    const expected = await live(reference, events)
    for (const way of ['copy', 'no copy', 'a batch fails'] as const) {
      const db = await opening()
      t.teardown(() => db.close())
      const failed: string[] = []
      const logger = {
        info: () => undefined,
        error: () => undefined,
        warn: (_: object, message: string) => failed.push(message),
      }
      const result = await replayAsOf({
        store,
        asOf: new Date().toISOString(),
        target: variant(db, way),
        batchSize: 7,
        logger,
      })
      // The malformed event's batch fails in every way; the COPY that breaks adds one.
      t.equal(failed.length, way === 'a batch fails' ? 2 : 1, `${adapter}, ${way}: batches that failed`)
      t.equal(result.events, events.length, `${adapter}, ${way}: every event`)
      t.same(result.digest, expected.digest, `${adapter}, ${way}: the same tables`)
      t.equal(result.digest.rejected.rows, 1, `${adapter}, ${way}: the malformed event set aside`)
      t.same(await schemaOf(db), expected.schema, `${adapter}, ${way}: the same schema`)
    }
  }
})

t.test(
  'a replay says when it is past its last event: making keys and indexes, then the digest',
  async (t) => {
    // No batch fails here, so the keys and indexes are made only after the last batch.
    const { store, events } = await history(t, scenario(30, 11))
    for (const [adapter, opening] of Object.entries(readDbOpeners(t, 'rm_replay_stages'))) {
      const db = await opening()
      t.teardown(() => db.close())
      const seen: string[] = []
      let keysWhenDigesting: Promise<{ keys: number }[]> | undefined
      const result = await replayAsOf({
        store,
        asOf: new Date().toISOString(),
        target: db,
        batchSize: 7,
        onProgress: ({ applied, total }) => seen.push(applied === total ? 'all applied' : 'applying'),
        onStage: (stage) => {
          seen.push(stage)
          if (stage !== 'digesting') return
          keysWhenDigesting = db.query<{ keys: number }>(
            `select count(*)::int as keys from pg_indexes
           where schemaname = current_schema() and tablename = any($1::text[])`,
            [[tablesOf(1).task_version, tablesOf(1).activity, tablesOf(1).activity_bureau]],
          )
        },
      })
      t.equal(result.events, events.length, `${adapter}: every event`)
      t.same(
        seen.slice(-3),
        ['all applied', 'indexing', 'digesting'],
        `${adapter}: the stages after the last batch`,
      )
      t.equal(
        seen.filter((step) => step === 'indexing' || step === 'digesting').length,
        2,
        `${adapter}: once each`,
      )
      const [row] = (await keysWhenDigesting) ?? []
      t.equal(
        row?.keys,
        6,
        `${adapter}: the append-only tables have their keys and indexes before the digest`,
      )
    }
  },
)

async function replayRecords(db: ReadDb) {
  return db.query<{ as_of: string; events: string | null; finished: boolean }>(
    'select as_of, events::text, finished_at is not null as finished from rm_replay',
  )
}

t.test('a replay claims its target first, so one that stops half way is known as a replay', async (t) => {
  const { store, events } = await history(t)
  const asOf = new Date().toISOString()
  for (const [adapter, opening] of Object.entries(readDbOpeners(t, 'rm_replay_claim'))) {
    const stopped = await opening()
    t.teardown(() => stopped.close())
    await t.rejects(
      replayAsOf({ store: failingAfter(store, 20), asOf, target: stopped, batchSize: 7 }),
      /the connection broke/,
    )
    t.same(
      await replayRecords(stopped),
      [{ as_of: asOf, events: null, finished: false }],
      `${adapter}: unfinished`,
    )

    const done = await opening()
    t.teardown(() => done.close())
    await replayAsOf({ store, asOf, target: done, batchSize: 7 })
    t.same(
      await replayRecords(done),
      [{ as_of: asOf, events: String(events.length), finished: true }],
      `${adapter}: finished, with its count`,
    )
  }
})
