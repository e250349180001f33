import { conflictAttempts } from '../src/index.ts'
import t from 'tap'
import type { EventStore } from '@coord/eventstore'
import { bureau, delegate, events, otherPlanner, setup, type Body } from './counter-app.ts'

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

t.test('a command that changed nothing answers its retries the same under its key', async (t) => {
  const { store, increment } = await setup(t)
  await increment('n', { by: 4 })
  const first = await increment('n', { by: 0 }, { 'idempotency-key': 'noop-1' })
  t.equal(first.statusCode, 200)
  t.same(first.json(), { streamId: 'counter-n', revision: 1, position: first.json().position, events: [] })
  await increment('n', { by: 1 }, { authorization: otherPlanner })
  const head = await store.headPosition()
  const retry = await increment('n', { by: 0 }, { 'idempotency-key': 'noop-1' })
  t.same(retry.json(), first.json(), 'the first answer, though the stream has moved on')
  const other = await increment('n', { by: 3 }, { 'idempotency-key': 'noop-1' })
  t.equal(other.statusCode, 422, 'the key is taken by the request that changed nothing')
  t.equal(other.json().error, 'IDEMPOTENCY_KEY_REUSED')
  t.equal(await store.headPosition(), head, 'nothing appended')
  t.same(
    (await events(store, 'counter-n')).map((e) => e.data),
    [
      { by: 4, total: 4 },
      { by: 1, total: 5 },
    ],
  )
})

t.test('a refused command records no key: its retry is decided again', async (t) => {
  const { increment } = await setup(t)
  await increment('r', { by: 999 })
  const refused = await increment('r', { by: 2 }, { 'idempotency-key': 'refused-1' })
  t.equal(refused.statusCode, 422)
  t.equal(refused.json().error, 'COUNTER_FULL')
  const other = await increment('r', { by: 1 }, { 'idempotency-key': 'refused-1' })
  t.equal(other.statusCode, 200, 'the key is still free')
  t.same(other.json().events, ['Incremented'])
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
