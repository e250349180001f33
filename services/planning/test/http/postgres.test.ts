import { openPostgresStore, type EventStore } from '@coord/eventstore'
import { createTestSchema } from '@coord/eventstore/testing'
import t from 'tap'
import {
  bureaus,
  eventsOf,
  exampleText,
  given,
  isError,
  newIds,
  openApi,
  paths,
  revisionOf,
  snapshot,
  stages,
  streams,
  writesNothing,
} from './harness.ts'

// Integration: the planning API on the PostgreSQL server (DATABASE_URL, else the local one), in a
// schema of its own that teardown drops. A subset of the route tests, plus races only a server shows.

const schema = await createTestSchema('planning_http')
const store = await openPostgresStore({ connectionString: schema.connectionString, schema: schema.schema })
const api = await openApi(t, store)
t.teardown(async () => {
  await store.close()
  await schema.drop()
})

const assign = { leads: [bureaus.lead], partners: [bureaus.partner] }

t.test('the example plan imports into PostgreSQL, and importing it again appends nothing', async (t) => {
  const { planId } = newIds('pg')
  const first = await api.post(paths.import, { body: { text: exampleText, planId } })
  t.equal(first.statusCode, 200, first.body)
  t.match(first.json(), { planId, targets: 3, tasks: 33, revision: 4 })
  t.equal(first.json().lastPosition, await store.headPosition())
  const plan = await api.get(paths.plan(planId), { as: 'auditor' })
  t.match(plan.json().state, { docNumber: '浦府〔2017〕94号', issueDate: '2017-05-22' })
  const before = await store.headPosition()
  const again = await api.post(paths.import, { body: { text: exampleText, planId } })
  t.equal(again.statusCode, 200, again.body)
  t.same(again.json().events, [])
  t.equal(await store.headPosition(), before, 'nothing was appended')
})

t.test(
  'an assignment retried with the same Idempotency-Key gets the first answer and records once',
  async (t) => {
    const ids = newIds('pg')
    await given(api, ids, { task: stages.published })
    const url = paths.task(ids.planId, ids.taskId, 'assign')
    const headers = { 'idempotency-key': `assign-${ids.planId}`, 'if-match': '"1"' }
    const first = await api.post(url, { body: assign, headers })
    t.equal(first.statusCode, 200, first.body)
    t.match(first.json(), { streamId: streams.task(ids), revision: 2, events: ['TaskAssigned'] })
    const after = await snapshot(store, streams.task(ids))
    const retry = await api.post(url, { body: assign, headers })
    t.same(retry.json(), first.json())
    await writesNothing(t, store, streams.task(ids), after)
    const reused = await api.post(url, { body: { leads: [bureaus.partner] }, headers })
    isError(t, reused, 422, 'IDEMPOTENCY_KEY_REUSED')
    await writesNothing(t, store, streams.task(ids), after)
  },
)

t.test('a stale If-Match and a cancelled task are both 409s that write nothing', async (t) => {
  const ids = newIds('pg')
  await given(api, ids, { task: stages.assigned })
  const url = paths.task(ids.planId, ids.taskId, 'assign')
  const before = await snapshot(store, streams.task(ids))
  const stale = await api.post(url, { body: { leads: [bureaus.partner] }, headers: { 'if-match': '"1"' } })
  isError(t, stale, 409, 'REVISION_CONFLICT', { expected: 1, actual: 2 })
  await writesNothing(t, store, streams.task(ids), before)

  await given(api, ids, { task: ['cancel'] })
  const cancelled = await snapshot(store, streams.task(ids))
  const refused = await api.post(url, { body: { leads: [bureaus.partner] } })
  isError(t, refused, 409, 'TASK_CANCELLED')
  await writesNothing(t, store, streams.task(ids), cancelled)
})

t.test(
  'of two assignments racing with the same If-Match, one is recorded and the other gets 409',
  async (t) => {
    const ids = newIds('pg')
    await given(api, ids, { task: stages.published })
    const url = paths.task(ids.planId, ids.taskId, 'assign')
    const headers = { 'if-match': '"1"' }
    const answers = await Promise.all([
      api.post(url, { body: { leads: [bureaus.lead] }, headers }),
      api.post(url, { body: { leads: [bureaus.partner] }, headers }),
    ])
    t.same(answers.map((res) => res.statusCode).sort(), [200, 409], answers.map((res) => res.body).join(' '))
    const loser = answers.find((res) => res.statusCode === 409)
    t.match(loser?.json(), { error: 'REVISION_CONFLICT', expected: 1, actual: 2 })
    const types = (await eventsOf(store, streams.task(ids))).map((e) => e.type)
    t.same(types, ['TaskPublished', 'TaskAssigned'])
  },
)

t.test(
  'two identical progress reports racing with one Idempotency-Key record one event, same answer',
  async (t) => {
    const ids = newIds('pg')
    await given(api, ids, { task: stages.acknowledged })
    const url = paths.task(ids.planId, ids.taskId, 'progress')
    const call = {
      as: 'lead' as const,
      body: { percent: 50, narrative: '备案制度已起草' },
      headers: { 'idempotency-key': `progress-${ids.planId}` },
    }
    const [a, b] = await Promise.all([api.post(url, call), api.post(url, call)])
    t.equal(a.statusCode, 200, a.body)
    t.equal(b.statusCode, 200, b.body)
    t.same(a.json(), b.json())
    t.equal(
      await revisionOf(store, streams.task(ids)),
      4,
      'one ProgressReported after the three given events',
    )
  },
)

t.test(
  'thirty progress reports on one task at once, without If-Match: each recorded, in turn, with no race lost',
  async (t) => {
    let conflicts = 0
    const counting: EventStore = Object.create(store, {
      appendToStream: {
        value: (...args: Parameters<EventStore['appendToStream']>) =>
          store.appendToStream(...args).catch((error: unknown) => {
            conflicts++
            throw error
          }),
      },
    }) as EventStore
    const racing = await openApi(t, counting)
    const ids = newIds('pg')
    await given(racing, ids, { task: stages.acknowledged })
    const url = paths.task(ids.planId, ids.taskId, 'progress')
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        racing.post(url, { as: i % 2 ? 'lead' : 'partner', body: { percent: i + 1, narrative: `第${i}次` } }),
      ),
    )
    t.same(
      answers.map((res) => res.statusCode),
      Array<number>(30).fill(200),
      'every report accepted',
    )
    t.equal(conflicts, 0, 'commands on one stream take turns: no append lost a race')
    t.equal(await revisionOf(store, streams.task(ids)), 33, 'thirty reports after the three given events')
  },
)
