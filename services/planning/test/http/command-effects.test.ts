import t from 'tap'
import { commandRoutes } from './command-routes.ts'
import {
  actors,
  eventsOf,
  given,
  isError,
  newIds,
  openApi,
  revisionOf,
  snapshot,
  writesNothing,
  type Given,
} from './harness.ts'

// Every command route, generated from one table: it records its events and answers where the
// stream stands; a retry with the same Idempotency-Key gets the same answer and records nothing;
// a stale If-Match and a state that forbids the command are 409s that write nothing.

const api = await openApi(t)

function describe(state: Given): string {
  const task = state.task?.at(-1)
  if (task !== undefined) return `after ${task}`
  return state.plan === undefined ? 'before anything exists' : `once the plan is ${state.plan}`
}

for (const route of commandRoutes) {
  t.test(`${route.name} records ${route.events.join(', ')} exactly once`, async (t) => {
    const ids = newIds()
    await given(api, ids, route.given)
    const url = route.url(ids)
    const streamId = route.stream(ids)
    const body = route.body(ids)
    const before = await revisionOf(api.store, streamId)
    const revision = before + route.events.length
    const headers = { 'if-match': `"${before}"`, 'idempotency-key': `retry-${ids.planId}` }
    const first = await api.post(url, { as: route.as, body, headers })
    const answer = first.json()
    const after = await snapshot(api.store, streamId)

    t.test('it answers 200 with the stream, its revision, position and the event types', async (t) => {
      t.equal(first.statusCode, 200, first.body)
      t.match(answer, { streamId, revision, position: Number, events: route.events })
      t.same(Object.keys(answer).slice(0, 4), ['streamId', 'revision', 'position', 'events'])
      const recorded = (await eventsOf(api.store, streamId)).slice(before)
      t.same(
        recorded.map((e) => e.type),
        route.events,
        'the stream holds the events answered',
      )
      t.equal(recorded.at(-1)?.position, answer.position, 'the answer names the last position')
      const { role, user } = actors[route.as]
      for (const event of recorded) t.match(event.metadata.actor, { role, user }, 'the actor is recorded')
    })

    t.test('a retry with the same Idempotency-Key and body gets the same answer', async (t) => {
      const retry = await api.post(url, { as: route.as, body, headers })
      t.equal(retry.statusCode, 200, retry.body)
      t.same(retry.json(), answer)
      await writesNothing(t, api.store, streamId, after)
    })

    t.test('the same Idempotency-Key with another body is refused with 422', async (t) => {
      const other = { ...body, occurredAt: '2018-03-01T10:00:00+08:00' }
      const res = await api.post(url, { as: route.as, body: other, headers })
      isError(t, res, 422, 'IDEMPOTENCY_KEY_REUSED')
      await writesNothing(t, api.store, streamId, after)
    })

    t.test('a stale If-Match is refused with 409 naming the expected and actual revisions', async (t) => {
      const res = await api.post(url, { as: route.as, body, headers: { 'if-match': `"${before}"` } })
      isError(t, res, 409, 'REVISION_CONFLICT', { expected: before, actual: revision })
      await writesNothing(t, api.store, streamId, after)
    })
  })

  const { conflict } = route
  t.test(
    `${route.name} is refused with ${conflict.status} ${conflict.error} ${describe(conflict.given)}`,
    async (t) => {
      const ids = newIds()
      await given(api, ids, conflict.given)
      const streamId = route.stream(ids)
      const before = await snapshot(api.store, streamId)
      const body = (conflict.body ?? route.body)(ids)
      const res = await api.post(route.url(ids), { as: route.as, body })
      isError(t, res, conflict.status, conflict.error)
      await writesNothing(t, api.store, streamId, before)
    },
  )
}
