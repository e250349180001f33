// Integration (real PostgreSQL): a subscription outlives its database connections being killed.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import t from 'tap'
import { isEventStoreError } from '../src/index.ts'
import type { EventStore, NewEvent } from '../src/index.ts'
import { idsOf, newEvents, positionsOf, range, readAll, settle, sleep, track } from './contract/helpers.ts'
import { sharedSchema } from './pg-stores.ts'

/**
 * The store names its connections `coord-eventstore`, the same for every store on the server. A
 * connection string's own `application_name` takes precedence in `pg`, so each store in this test
 * gets a name of its own and only its backends are terminated, not those of tests running beside.
 */
function named(connectionString: string, name: string): string {
  const url = new URL(connectionString)
  url.searchParams.set('application_name', name)
  return url.toString()
}

async function terminateBackends(connectionString: string, applicationName: string): Promise<number> {
  const admin = new pg.Client({ connectionString })
  await admin.connect()
  try {
    const { rows } = await admin.query<{ pid: number }>(
      `select pid from pg_stat_activity
       where datname = current_database() and pid <> pg_backend_pid() and application_name = $1`,
      [applicationName],
    )
    await admin.query('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [
      rows.map((r) => r.pid),
    ])
    return rows.length
  } finally {
    await admin.end()
  }
}

/** Appends, retrying a typed STORE_UNAVAILABLE: the ids make the retry safe. */
async function appendRetrying(store: EventStore, streamId: string, events: NewEvent[]) {
  for (let attempt = 1; ; attempt++) {
    const outcome = await settle(store.appendToStream(streamId, events))
    if (outcome.ok) return { ...outcome.value, attempt }
    if (attempt >= 10 || !isEventStoreError(outcome.error, 'STORE_UNAVAILABLE')) throw outcome.error
    await sleep(200)
  }
}

t.test('a subscriber survives its database connections being terminated', async (t) => {
  const { connectionString, open } = await sharedSchema(t, 'es_reconnect')
  const name = `es_reconnect_${randomBytes(4).toString('hex')}`
  const store = await open({ pageSize: 7 }, named(connectionString, name))
  const writer = await open({}, named(connectionString, `${name}_writer`))
  const { subscription, events, until } = track(t, store, { fromPosition: 1 })
  let settled = false
  void subscription.done.finally(() => (settled = true)).catch(() => undefined)

  await store.appendToStream('plan-1', newEvents(5))
  await until(5)

  for (let round = 1; round <= 2; round++) {
    const killed = await terminateBackends(connectionString, name)
    t.ok(killed >= 1, `round ${round}: the store's backends were terminated (${killed})`)
    const before = await writer.headPosition()
    await writer.appendToStream(`task-${round}`, newEvents(4))
    const own = await appendRetrying(store, `plan-${round + 1}`, newEvents(3))
    t.comment(`round ${round}: the store's own append succeeded on attempt ${own.attempt}`)
    await until(before + 7, `round ${round}: the events appended after the kill`)
    t.same(positionsOf(events), range(1, before + 7), `round ${round}: resumed with no duplicate and no gap`)
  }
  t.equal(settled, false, 'the subscription is still running')
  t.equal(subscription.position, events.at(-1)?.position)
  t.same(idsOf(events), idsOf(await readAll(writer)))
})

t.test('a subscriber whose connections are terminated mid catch-up resumes where it was', async (t) => {
  const { connectionString, open } = await sharedSchema(t, 'es_reconnect')
  const name = `es_reconnect_${randomBytes(4).toString('hex')}`
  const writer = await open({}, named(connectionString, `${name}_writer`))
  for (let n = 0; n < 4; n++) await writer.appendToStream(`bulk-${n}`, newEvents(100))
  const store = await open({ pageSize: 7 }, named(connectionString, name))
  const { events, until } = track(t, store, { fromPosition: 1 }, () => sleep(1))
  let killed = 0
  for (const progress of [50, 150, 250, 350]) {
    await until(progress)
    killed += await terminateBackends(connectionString, name)
  }
  t.ok(killed >= 4, `backends were terminated while it read (${killed})`)
  await until(400)
  t.same(positionsOf(events), range(1, 400), 'every event once, in order')
})

t.test('a connection cut inside an append transaction fails that append and nothing else', async (t) => {
  const { connectionString, open } = await sharedSchema(t, 'es_reconnect')
  const name = `es_reconnect_${randomBytes(4).toString('hex')}`
  let cut = false
  const store = await open(
    {
      hooks: {
        // Between two statements of the transaction: no query is waiting on the connection, so
        // only a listener on the checked-out client can take the error.
        beforeCommit: async () => {
          if (cut) return
          cut = true
          t.ok((await terminateBackends(connectionString, name)) >= 1, 'the backend was terminated')
          await sleep(200)
        },
      },
    },
    named(connectionString, name),
  )
  const uncaught: Error[] = []
  const note = (error: Error) => uncaught.push(error)
  process.on('uncaughtException', note)
  t.teardown(() => process.off('uncaughtException', note))

  const first = await settle(store.appendToStream('plan-cut', newEvents(2)))
  t.notOk(first.ok, 'the append whose connection was cut failed')
  t.same(uncaught, [], 'no error escaped to the process')
  const again = await appendRetrying(store, 'plan-cut', newEvents(2))
  t.equal(again.revision, 2, 'the next append took revisions 1 and 2: nothing of the first was written')
})
