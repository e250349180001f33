import { DomainError, unreachable, type Command, type Decider, type DomainEvent } from '@coord/domain'
import { openEmbeddedStore, type EventStore, type JsonValue, type RecordedEvent } from '@coord/eventstore'
import t from 'tap'
import {
  asStored,
  authPlugin,
  commandContext,
  conflictAttempts,
  createApp,
  executeCommand,
  expectedRevisionFrom,
  idempotencyFrom,
  requireRole,
  signToken,
} from '../src/index.ts'
import { testConfig } from './helpers.ts'

// A tiny counter aggregate: enough to exercise every path of the command pipeline.
type CounterCommand = Command<'Increment', { by: number }>
type CounterEvent = DomainEvent<'Incremented', { by: number; total: number }>
interface CounterState {
  total: number
}
const counter: Decider<CounterCommand, CounterEvent, CounterState> = {
  initialState: { total: 0 },
  decide(command, state) {
    switch (command.type) {
      case 'Increment':
        if (command.data.by < 0) throw new DomainError('NEGATIVE_INCREMENT', 'a counter only goes up', 422)
        if (command.data.by === 0) return []
        if (state.total + command.data.by > 1000)
          throw new DomainError('COUNTER_FULL', 'a counter stops at 1000', 422)
        return [{ type: 'Incremented', data: { by: command.data.by, total: state.total + command.data.by } }]
      default:
        return unreachable(command.type)
    }
  },
  evolve: (state, event) => ({ total: event.data.total }),
}

const config = testConfig()
const planner = `Bearer ${signToken(config, { role: 'planner', user: 'li.wei' })}`
const otherPlanner = `Bearer ${signToken(config, { role: 'planner', user: 'wang.fang' })}`
const bureau = `Bearer ${signToken(config, { role: 'bureau', bureauId: 'ip-office', user: 'zhang.min' })}`

interface Body {
  by: number
  occurredAt?: string
  expectedRevision?: number
}

// One in-memory store for the file (opening PGlite takes seconds); each test uses its own streams.
const store = await openEmbeddedStore()
t.teardown(() => store.close())

async function setup(
  t: { teardown(fn: () => unknown): void },
  wrap: (store: EventStore) => EventStore = (s) => s,
) {
  const app = createApp({ config, logger: false })
  await app.register(authPlugin, { config })
  const schema = {
    body: {
      type: 'object',
      required: ['by'],
      additionalProperties: false,
      properties: {
        by: { type: 'integer' },
        occurredAt: { type: 'string' },
        expectedRevision: { type: 'integer' },
      },
    },
  }
  const wrapped = wrap(store)
  app.post<{ Params: { id: string }; Body: Body }>(
    '/counters/:id/increment',
    { schema, preValidation: requireRole('planner', 'bureau') },
    async (request) => {
      const context = commandContext(request, { occurredAt: request.body.occurredAt })
      // `replayed` is for the server's own bookkeeping; a client's retry gets the first answer as is.
      const { replayed: _replayed, ...answer } = await executeCommand({
        store: wrapped,
        streamId: `counter-${request.params.id}`,
        decider: counter,
        command: { type: 'Increment', data: { by: request.body.by }, metadata: context.metadata },
        expectedRevision: expectedRevisionFrom(request),
        idempotency: idempotencyFrom(request),
        buildMetadata: context.buildMetadata,
      })
      return answer
    },
  )
  t.teardown(() => app.close())
  await app.ready()
  const increment = (id: string, body: Body, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: `/counters/${id}/increment`,
      headers: { authorization: planner, ...headers },
      payload: body,
    })
  return { app, store, increment }
}

async function events(store: EventStore, streamId: string): Promise<RecordedEvent[]> {
  const found: RecordedEvent[] = []
  for await (const event of store.readStream(streamId)) found.push(event)
  return found
}

t.test(
  'a command appends its events with the edge metadata and answers where the stream stands',
  async (t) => {
    const { store, increment } = await setup(t)
    const first = await increment(
      'a',
      { by: 2, occurredAt: '2019-03-01T09:00:00+08:00' },
      {
        authorization: bureau,
        'x-correlation-id': 'meeting-7',
        'x-causation-id': 'resolution-3',
        'x-request-id': 'req-1',
      },
    )
    t.equal(first.statusCode, 200)
    t.same(first.json(), {
      streamId: 'counter-a',
      revision: 1,
      position: Number(first.json().position),
      events: ['Incremented'],
    })
    const second = await increment('a', { by: 3 }, { 'x-request-id': 'req-2' })
    t.same(second.json(), {
      streamId: 'counter-a',
      revision: 2,
      position: Number(second.json().position),
      events: ['Incremented'],
    })
    const [e1, e2] = await events(store, 'counter-a')
    t.same(
      [first.json().position, second.json().position],
      [e1?.position, e2?.position],
      'the global positions',
    )
    t.match(e1, {
      type: 'Incremented',
      data: { by: 2, total: 2 },
      metadata: {
        actor: { role: 'bureau', bureauId: 'ip-office', user: 'zhang.min' },
        correlationId: 'meeting-7',
        causationId: 'resolution-3',
        occurredAt: '2019-03-01T09:00:00+08:00',
        recordedAt: String,
      },
    })
    t.match(e1?.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a UUIDv7 id')
    t.match(e2, { data: { by: 3, total: 5 }, metadata: { correlationId: 'req-2', causationId: null } })
    t.same(e2?.metadata.actor, { role: 'planner', user: 'li.wei' })
    t.ok(
      Math.abs(Date.parse(e2?.metadata.occurredAt ?? '') - Date.now()) < 60_000,
      'occurredAt defaults to now',
    )
    t.notOk('idempotencyKey' in (e2?.metadata ?? {}), 'no key, none recorded')
  },
)

t.test('If-Match or expectedRevision naming another revision is a 409 that writes nothing', async (t) => {
  const { store, increment } = await setup(t)
  await increment('b', { by: 1 })
  for (const [headers, body] of [
    [{ 'if-match': '"0"' }, { by: 1 }],
    [{ 'if-match': '0' }, { by: 1 }],
    [{}, { by: 1, expectedRevision: 0 }],
  ] as const) {
    const res = await increment('b', body, headers)
    t.equal(res.statusCode, 409)
    t.match(res.json(), { error: 'REVISION_CONFLICT', expected: 0, actual: 1 })
  }
  t.equal((await events(store, 'counter-b')).length, 1)
  const ok = await increment('b', { by: 1 }, { 'if-match': '"1"' })
  t.match(ok.json(), { streamId: 'counter-b', revision: 2, events: ['Incremented'] })
  for (const bad of ['W/"1"', '*', '"one"', '"1', '1, 2']) {
    const res = await increment('b', { by: 1 }, { 'if-match': bad })
    t.equal(res.statusCode, 400, bad)
    t.match(res.json(), { error: 'BAD_REQUEST', field: 'If-Match' })
  }
  const disagree = await increment('b', { by: 1, expectedRevision: 1 }, { 'if-match': '2' })
  t.equal(disagree.statusCode, 400)
})

/** A store where another writer appends to the stream just before each of our first `times` appends. */
function racedStore(times: number) {
  let raced = 0
  return (inner: EventStore): EventStore => ({
    ...delegate(inner),
    async appendToStream(streamId, newEvents, options) {
      if (raced < times) {
        raced++
        const [intruder] = newEvents
        if (intruder) await inner.appendToStream(streamId, [{ ...intruder, id: crypto.randomUUID() }])
      }
      return inner.appendToStream(streamId, newEvents, options)
    },
  })
}

t.test(
  'a command without If-Match that loses a race is decided again on the new state: nothing is lost',
  async (t) => {
    const { store, increment } = await setup(t, racedStore(1))
    const res = await increment('c', { by: 4 })
    t.equal(res.statusCode, 200, res.body)
    const totals = (await events(store, 'counter-c')).map((e) => (e.data as { total: number }).total)
    t.same(totals, [4, 8], 'the other writer’s event, then ours decided after it')
  },
)

t.test('with If-Match, a writer that got in between is a 409 and nothing of ours is written', async (t) => {
  const { store, increment } = await setup(t, racedStore(1))
  const res = await increment('c2', { by: 4 }, { 'if-match': '0' })
  t.equal(res.statusCode, 409)
  t.match(res.json(), { error: 'REVISION_CONFLICT', expected: 0, actual: 1 })
  t.equal((await events(store, 'counter-c2')).length, 1, 'only the other writer’s event')
})

t.test('a command that keeps losing the race is a 409 after its attempts', async (t) => {
  const { store, increment } = await setup(t, racedStore(conflictAttempts))
  const res = await increment('c3', { by: 1 })
  t.equal(res.statusCode, 409)
  t.equal((await events(store, 'counter-c3')).length, conflictAttempts, 'only the other writer’s events')
})

t.test('many concurrent commands on one stream are all accepted and none is lost', async (t) => {
  const { store, increment } = await setup(t)
  const answers = await Promise.all(Array.from({ length: 30 }, () => increment('d', { by: 1 })))
  t.same(
    answers.map((r) => r.statusCode),
    Array<number>(30).fill(200),
    'every command accepted',
  )
  const totals = (await events(store, 'counter-d')).map((e) => (e.data as { total: number }).total)
  t.same(
    totals,
    Array.from({ length: 30 }, (_, i) => i + 1),
    'each command saw the one before',
  )
})

t.test('a retry with the same Idempotency-Key gets the same answer and appends nothing', async (t) => {
  const { store, increment } = await setup(t)
  const first = await increment('e', { by: 2 }, { 'idempotency-key': 'order-1' })
  t.equal(first.statusCode, 200)
  const head = await store.headPosition()
  const retry = await increment('e', { by: 2 }, { 'idempotency-key': 'order-1', 'if-match': '"0"' })
  t.equal(retry.statusCode, 200, 'the stale If-Match of the original request does not matter')
  t.same(retry.json(), first.json())
  t.equal(await store.headPosition(), head, 'nothing appended')
  const [event] = await events(store, 'counter-e')
  t.match(event?.metadata.idempotencyKey, /:order-1$/, 'the scoped key is kept with the event')
})

t.test('the same Idempotency-Key with another body is a 422', async (t) => {
  const { store, increment } = await setup(t)
  await increment('f', { by: 2 }, { 'idempotency-key': 'order-2' })
  const head = await store.headPosition()
  const other = await increment('f', { by: 3 }, { 'idempotency-key': 'order-2' })
  t.equal(other.statusCode, 422)
  t.equal(other.json().error, 'IDEMPOTENCY_KEY_REUSED')
  const elsewhere = await increment('g', { by: 2 }, { 'idempotency-key': 'order-2' })
  t.equal(elsewhere.statusCode, 422, 'another URL is another request')
  t.equal(await store.headPosition(), head)
})

t.test('two users choosing the same Idempotency-Key do not collide', async (t) => {
  const { increment } = await setup(t)
  const a = await increment('h', { by: 1 }, { 'idempotency-key': 'k' })
  const b = await increment('h', { by: 1 }, { 'idempotency-key': 'k', authorization: otherPlanner })
  const c = await increment('h', { by: 1 }, { 'idempotency-key': 'k', authorization: bureau })
  t.same(
    [a, b, c].map((r) => r.json<{ revision: number }>().revision),
    [1, 2, 3],
  )
  const again = await increment('h', { by: 1 }, { 'idempotency-key': 'k', authorization: otherPlanner })
  t.same(again.json(), b.json(), 'each user gets their own first answer back')
})

t.test('concurrent retries with one key append once and all get the same answer', async (t) => {
  const { store, increment } = await setup(t)
  const answers = await Promise.all(
    Array.from({ length: 6 }, () => increment('i', { by: 5 }, { 'idempotency-key': 'burst' })),
  )
  t.same(
    answers.map((r) => r.statusCode),
    Array(6).fill(200),
  )
  const stored = await events(store, 'counter-i')
  t.equal(stored.length, 1)
  const expected = {
    streamId: 'counter-i',
    revision: 1,
    position: stored[0]?.position,
    events: ['Incremented'],
  }
  for (const answer of answers) t.same(answer.json(), expected)
})

t.test('a command the decider turns into no events appends nothing', async (t) => {
  const { store, increment } = await setup(t)
  const first = await increment('j', { by: 1 })
  const head = await store.headPosition()
  const res = await increment('j', { by: 0 })
  t.same(res.json(), { ...first.json(), events: [] })
  const fresh = await increment('k', { by: 0 })
  t.same(fresh.json(), { streamId: 'counter-k', revision: 0, position: 0, events: [] })
  t.equal(await store.headPosition(), head)
})

t.test('bad command input is a 4xx and writes nothing', async (t) => {
  const { store, increment } = await setup(t)
  const head = await store.headPosition()
  const refused = await increment('l', { by: -1 })
  t.equal(refused.statusCode, 422)
  t.equal(refused.json().error, 'NEGATIVE_INCREMENT')
  const cases: [Body, Record<string, string>, string][] = [
    [{ by: 1 }, { 'idempotency-key': 'has space' }, 'Idempotency-Key'],
    [{ by: 1 }, { 'idempotency-key': 'x'.repeat(201) }, 'Idempotency-Key'],
    [{ by: 1, occurredAt: 'yesterday' }, {}, 'occurredAt'],
    [{ by: 1, occurredAt: '2019-03-01T09:00:00' }, {}, 'occurredAt'],
    [{ by: 1 }, { 'x-correlation-id': 'a b' }, 'x-correlation-id'],
  ]
  for (const [body, headers, field] of cases) {
    const res = await increment('l', body, headers)
    t.equal(res.statusCode, 400, field)
    t.match(res.json(), { error: 'BAD_REQUEST', field }, field)
  }
  const unknown = await increment('l', { by: 1, colour: 'red' } as Body)
  t.match(unknown.json(), { error: 'BAD_REQUEST', message: "unknown field 'colour'" })
  const anonymous = await increment('l', { by: 1 }, { authorization: '' })
  t.equal(anonymous.statusCode, 401)
  const anonymousBadBody = await increment('l', { by: 'x', colour: 'red' } as unknown as Body, {
    authorization: 'Bearer forged',
  })
  t.equal(anonymousBadBody.statusCode, 401, 'no token: refused before the body is validated')
  t.equal(await store.headPosition(), head)
})

/** An EventStore that forwards everything to `inner`; tests override one method. */
function delegate(inner: EventStore): EventStore {
  return {
    adapter: inner.adapter,
    appendToStream: (...args) => inner.appendToStream(...args),
    readStream: (...args) => inner.readStream(...args),
    readAll: (...args) => inner.readAll(...args),
    streamState: (...args) => inner.streamState(...args),
    idempotentResult: (...args) => inner.idempotentResult(...args),
    headPosition: () => inner.headPosition(),
    subscribeToAll: (...args) => inner.subscribeToAll(...args),
    checkpoint: (...args) => inner.checkpoint(...args),
    saveCheckpoint: (...args) => inner.saveCheckpoint(...args),
    close: () => inner.close(),
  }
}

t.test(
  'a stream folded earlier is read on from where it was, with what others wrote meanwhile',
  async (t) => {
    const reads: (number | undefined)[] = []
    const { increment } = await setup(t, (inner) => ({
      ...delegate(inner),
      readStream: (streamId, options) => {
        reads.push(options?.fromRevision)
        return inner.readStream(streamId, options)
      },
    }))
    t.equal((await increment('kept', { by: 2 })).json().revision, 1)
    t.equal((await increment('kept', { by: 3 })).json().revision, 2)
    // Another process writes to the stream: the next command must decide on it, not on its own past.
    await store.appendToStream('counter-kept', [
      {
        id: crypto.randomUUID(),
        type: 'Incremented',
        data: { by: 10, total: 15 },
        metadata: {
          actor: { role: 'planner', user: 'elsewhere' },
          correlationId: crypto.randomUUID(),
          causationId: null,
          occurredAt: new Date().toISOString(),
        },
      },
    ])
    const after = await increment('kept', { by: 1 }, { 'if-match': '"3"' })
    t.equal(after.statusCode, 200, 'the revision written elsewhere is known')
    t.same(
      (await events(store, 'counter-kept')).map((e) => (e.data as { total: number }).total),
      [2, 5, 15, 16],
      'decided on the total including the other writer’s event, each event folded once',
    )
    // Its own appends are folded in as it decided them, so its second command reads nothing; the
    // third names revision 3 where its kept state is at 2, so it reads on from 3.
    t.same(reads, [1, 3], 'read only when the kept state may be behind, from where it stands')
  },
)

/** The counter's stream with another process's event appended: `total` as it sets it. */
async function otherWriter(store: EventStore, id: string, total: number) {
  await store.appendToStream(`counter-${id}`, [
    {
      id: crypto.randomUUID(),
      type: 'Incremented',
      data: { by: 0, total },
      metadata: {
        actor: { role: 'planner', user: 'elsewhere' },
        correlationId: crypto.randomUUID(),
        causationId: null,
        occurredAt: new Date().toISOString(),
      },
    },
  ])
}

/** The `fromRevision` of every read of a stream through the app's store. */
function countingReads(reads: (number | undefined)[]) {
  return (inner: EventStore): EventStore => ({
    ...delegate(inner),
    readStream: (streamId, options) => {
      reads.push(options?.fromRevision)
      return inner.readStream(streamId, options)
    },
  })
}

t.test(
  'decided on the kept state, a command another writer got ahead of is decided again on the stream',
  async (t) => {
    const reads: (number | undefined)[] = []
    const { store, increment } = await setup(t, countingReads(reads))
    t.equal((await increment('ahead', { by: 2 })).statusCode, 200)
    await otherWriter(store, 'ahead', 15)
    const res = await increment('ahead', { by: 1 })
    t.equal(res.statusCode, 200, res.body)
    t.equal(res.json().revision, 3)
    t.same(
      (await events(store, 'counter-ahead')).map((e) => (e.data as { total: number }).total),
      [2, 15, 16],
      'the append on the kept state was refused; decided again on the other writer’s total',
    )
    t.same(reads, [1, 2], 'the stream read on from the kept revision once the append was refused')
  },
)

t.test('a refusal on the kept state is checked on the stream as it is before it is answered', async (t) => {
  const reads: (number | undefined)[] = []
  const { store, increment } = await setup(t, countingReads(reads))
  t.equal((await increment('full', { by: 999 })).statusCode, 200)
  await otherWriter(store, 'full', 0)
  const res = await increment('full', { by: 5 })
  t.equal(res.statusCode, 200, 'the kept 999 would refuse 5; the stream, reset to 0 elsewhere, accepts it')
  t.same(
    (await events(store, 'counter-full')).map((e) => (e.data as { total: number }).total),
    [999, 0, 5],
  )
  const refused = await increment('full', { by: 996 })
  t.equal(refused.statusCode, 422, 'refused on the stream as it is too: the refusal stands')
  t.match(refused.json(), { error: 'COUNTER_FULL' })
  t.same(reads, [1, 2, 4], 'a refusal on the kept state reads on before it is answered')
})

t.test('nothing to do on the kept state answers the revision the stream is at', async (t) => {
  const { store, increment } = await setup(t)
  t.equal((await increment('idle', { by: 1 })).statusCode, 200)
  await otherWriter(store, 'idle', 7)
  const res = await increment('idle', { by: 0 })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { revision: 2, events: [] }, 'the other writer’s revision, nothing appended')
})

t.test('an event’s data folded as decided equals the data the store gives back', async (t) => {
  const data = {
    zeta: 1,
    a: { nested: [{ bb: 1, a: 2, ccc: null }], é: 'two bytes', ab: 'two chars' },
    mm: -0,
    list: [3, 'x', { y: true, x: false }],
    日期: '2019-03-01',
    gone: undefined,
    long_key_name: 0.1 + 0.2,
  } as unknown as JsonValue
  await store.appendToStream('stored-shape', [
    {
      id: crypto.randomUUID(),
      type: 'Shaped',
      data,
      metadata: {
        actor: { role: 'planner', user: 'li.wei' },
        correlationId: 'c',
        causationId: null,
        occurredAt: '2019-03-01T01:00:00.000Z',
      },
    },
  ])
  const [stored] = await events(store, 'stored-shape')
  t.equal(JSON.stringify(asStored(data)), JSON.stringify(stored?.data), 'same values, same key order')
  t.ok(Object.is((asStored(data) as { mm: number }).mm, 0), 'minus zero is stored as zero')
})
