// An append transaction opens with one statement that takes the head's lock and reads what the
// batch's decisions depend on. Those reads may predate the lock when another process held it: the
// append must then decide on what that process committed, not on what its statement first saw.
import pg from 'pg'
import t from 'tap'
import { commitBatch, lockHead, type PendingAppend } from '../src/append-batch.ts'
import { WrongExpectedRevision, type AppendResult, type StoreHooks } from '../src/index.ts'
import type { SqlClient } from '../src/sql/driver.ts'
import { prepareAppend } from '../src/validate.ts'
import { deferred, newEvent, readStream, sleep, within } from './contract/helpers.ts'
import { sharedSchema } from './pg-stores.ts'

/** Resolves once a backend is waiting for a lock in the statement that opens an append. */
async function waitingForTheHead(connectionString: string): Promise<void> {
  const client = new pg.Client({ connectionString })
  await client.connect()
  try {
    for (;;) {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
         where wait_event_type = 'Lock' and query like '%as seen%for update%'`,
      )
      if ((rows[0]?.n ?? 0) > 0) return
      await sleep(10)
    }
  } finally {
    await client.end()
  }
}

t.test('an append that waited for another process to commit decides on what it committed', async (t) => {
  const { open, connectionString } = await sharedSchema(t, 'es_lock_wait')
  const release = deferred()
  const holding = deferred()
  const hooks: StoreHooks = {
    beforeCommit: async ({ streamIds }) => {
      if (!streamIds.includes('shared')) return
      holding.resolve()
      await release.promise
    },
  }
  const first = await open({ hooks })
  const second = await open()
  await second.appendToStream('shared', [newEvent()], { expectedRevision: 'no_stream' })

  // The first process holds the head's lock with revision 2 of the stream written, not committed.
  const held = first.appendToStream('shared', [newEvent()], { expectedRevision: 1 })
  await within(holding.promise, 'the first append to hold the lock')
  // The second process, meanwhile: one append expecting revision 1, one expecting any.
  const stale = second.appendToStream('shared', [newEvent()], { expectedRevision: 1 })
  const any = second.appendToStream('shared', [newEvent()], { expectedRevision: 'any' })
  const outcomes = Promise.allSettled([stale, any])
  await within(waitingForTheHead(connectionString), 'the second append to wait for the lock')
  release.resolve()

  t.same(await held, { streamId: 'shared', revision: 2, position: 2 } satisfies AppendResult)
  const [expecting, anyRevision] = await outcomes
  t.equal(expecting?.status, 'rejected', 'expecting revision 1 after revision 2 was committed')
  if (expecting?.status === 'rejected') t.type(expecting.reason, WrongExpectedRevision)
  t.same(anyRevision, { status: 'fulfilled', value: { streamId: 'shared', revision: 3, position: 3 } })
  const stored = await readStream(second, 'shared')
  t.same(
    stored.map((event) => [event.revision, event.position]),
    [
      [1, 1],
      [2, 2],
      [3, 3],
    ],
    'revisions and positions dense, none twice',
  )
})

/** A client that records the statements it is asked and answers the load with `loaded`. */
function recording(loaded: Record<string, unknown>) {
  const statements: string[] = []
  const client: SqlClient = {
    query: async <Row>(sql: string) => {
      statements.push(sql)
      return (sql.includes('as streams') ? [loaded] : []) as Row[]
    },
  }
  return { client, statements }
}

function pending(streamId: string, expected: PendingAppend['expected']): PendingAppend {
  const settled = deferred<AppendResult>()
  return {
    streamId,
    events: prepareAppend(streamId, [newEvent()], {}),
    expected,
    idempotency: undefined,
    resolve: (result) => settled.resolve(result),
    reject: (error) => settled.reject(error),
  }
}

t.test('the opening reads are used when no append committed in between, read again otherwise', async (t) => {
  const options = { hooks: {}, channel: null }
  const opening = lockHead([pending('s', 1)])
  t.match(opening, /as seen/, 'the opening statement reads the head as its reads saw it')
  t.match(opening, /for update$/, 'and locks the head')

  // The opening reads saw revision 1 at head 1, and the head is still 1: no statement is added
  // before the write, and revision 1 is expected.
  const current = recording({})
  const head = {
    position: 1,
    seen: 1,
    streams: [['s', 1, 1] as [string, number, number]],
    keys: [],
    events: [],
  }
  const [ok] = await commitBatch(current.client, head, [pending('s', 1)], options)
  t.same(ok, { ok: { streamId: 's', revision: 2, position: 2 } })
  t.equal(current.statements.length, 1, 'only the write')

  // Another append committed revision 2 at head 2 before the lock was granted: read again.
  const moved = recording({ streams: [['s', 2, 2]], keys: [], events: [] })
  const stale = {
    position: 2,
    seen: 1,
    streams: [['s', 1, 1] as [string, number, number]],
    keys: [],
    events: [],
  }
  const [refused] = await commitBatch(moved.client, stale, [pending('s', 1)], options)
  t.ok(refused && 'error' in refused && refused.error instanceof WrongExpectedRevision)
  t.equal(moved.statements.length, 1, 'the reads again, and no write')
  t.match(moved.statements[0], /as streams/)
})
