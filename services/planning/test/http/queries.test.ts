import t from 'tap'
import { commandRoutes } from './command-routes.ts'
import { given, isError, newIds, openApi, paths, stages, type Who } from './harness.ts'

// The read side of the planning API (plan, task, task events), health and the API docs, and ids
// in the URL that the stream naming cannot hold.

const api = await openApi(t)
const readers: Who[] = ['planner', 'secretariat', 'supervisor', 'lead', 'stranger', 'auditor']

t.test('GET plan answers the plan as its events leave it, to every role, auditors included', async (t) => {
  const ids = newIds()
  await given(api, ids, { plan: 'issued' })
  for (const as of readers) {
    const res = await api.get(paths.plan(ids.planId), { as })
    t.equal(res.statusCode, 200, `${as}: ${res.body}`)
    t.match(res.json(), {
      streamId: `plan-${ids.planId}`,
      revision: 3,
      position: Number,
      state: { status: 'issued', planId: ids.planId, title: '浦东新区测试协作工作方案(2018-2019)' },
    })
  }
})

t.test('GET plan of a plan nobody imported is a 404 PLAN_NOT_FOUND', async (t) => {
  const res = await api.get(paths.plan(newIds().planId))
  isError(t, res, 404, 'PLAN_NOT_FOUND')
})

t.test('GET plan and GET task need a valid token', async (t) => {
  const ids = newIds()
  await given(api, ids, { plan: 'imported', task: stages.published })
  for (const url of [paths.plan(ids.planId), paths.task(ids.planId, ids.taskId)]) {
    isError(t, await api.get(url, { as: null }), 401, 'UNAUTHORIZED')
    isError(t, await api.get(url, { authorization: 'Bearer x.y.z' }), 401, 'UNAUTHORIZED')
  }
})

t.test(
  'GET task, with the id percent-encoded, answers its status, bureaus, deadline and progress',
  async (t) => {
    const ids = newIds()
    await given(api, ids, { task: [...stages.deadlined, 'progress'] })
    const res = await api.get(paths.task(ids.planId, ids.taskId), { as: 'auditor' })
    t.equal(res.statusCode, 200, res.body)
    t.match(res.json(), {
      streamId: `task-${ids.planId}/三.(二).7`,
      revision: 5,
      state: {
        status: 'in_progress',
        taskId: '三.(二).7',
        leads: ['ip-office'],
        partners: ['commerce'],
        acknowledgedBy: ['ip-office'],
        deadline: '2019-12-31',
        progress: { commerce: 30 },
      },
    })
  },
)

t.test('GET task of a task nobody published is a 404 TASK_NOT_FOUND', async (t) => {
  const res = await api.get(paths.task(newIds().planId, '三.(九).9'))
  isError(t, res, 404, 'TASK_NOT_FOUND')
})

t.test("GET task events answers the task's events oldest first, each with its full envelope", async (t) => {
  const ids = newIds()
  await given(api, ids, { task: stages.submitted })
  const res = await api.get(paths.task(ids.planId, ids.taskId, 'events'), { as: 'auditor' })
  t.equal(res.statusCode, 200, res.body)
  const { streamId, events } = res.json()
  t.equal(streamId, `task-${ids.planId}/三.(二).7`)
  t.same(
    events.map((e: { type: string }) => e.type),
    ['TaskPublished', 'TaskAssigned', 'TaskAcknowledged', 'CompletionSubmitted'],
  )
  t.same(
    events.map((e: { revision: number }) => e.revision),
    [1, 2, 3, 4],
  )
  for (const event of events) {
    t.match(event, {
      id: /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      streamId,
      position: Number,
      schemaVersion: 1,
      data: Object,
      metadata: {
        actor: { role: String, user: String },
        correlationId: String,
        occurredAt: String,
        recordedAt: String,
      },
    })
  }
  t.match(events[2].metadata.actor, { role: 'bureau', bureauId: 'ip-office' })
})

t.test(
  'GET task events withholds narratives, summaries and reasons from readers the task does not concern',
  async (t) => {
    const ids = newIds()
    await given(api, ids, { task: [...stages.acknowledged, 'progress', 'submit', 'reject'] })
    const restricted = {
      narrative: '展会备案制度草案已完成',
      summary: '展会知识产权备案、承诺制度已建立',
      reason: '缺少展会备案材料',
    }
    const read = async (as: Who) => {
      const res = await api.get(paths.task(ids.planId, ids.taskId, 'events'), { as })
      t.equal(res.statusCode, 200, `${as}: ${res.body}`)
      return { body: res.body, events: res.json().events as { type: string; redacted?: string[] }[] }
    }
    for (const as of ['lead', 'partner', 'supervisor', 'auditor'] as const) {
      const { body, events } = await read(as)
      for (const text of Object.values(restricted)) t.ok(body.includes(text), `${as} reads ${text}`)
      t.notOk(
        events.some((e) => e.redacted),
        `${as}: nothing withheld`,
      )
    }
    for (const as of ['stranger', 'planner', 'secretariat'] as const) {
      const { body, events } = await read(as)
      for (const text of Object.values(restricted))
        t.notOk(body.includes(text), `${as} does not read ${text}`)
      t.same(
        events.filter((e) => e.redacted).map((e) => [e.type, e.redacted]),
        [
          ['ProgressReported', ['narrative', 'evidence']],
          ['CompletionSubmitted', ['summary', 'evidence']],
          ['CompletionRejected', ['reason']],
        ],
        `${as}: the withheld fields are named`,
      )
      t.equal(events.length, 6, `${as} still sees every event`)
    }
  },
)

t.test('a task id longer than 64 characters is refused with 400', async (t) => {
  const res = await api.get(paths.task(newIds().planId, '一'.repeat(65)))
  isError(t, res, 400, 'BAD_REQUEST', { field: 'taskId' })
})

// Regression: a plan id in the URL holding '/' (sent as %2F) passes the params schema, and
// planStreamId/taskStreamId then throw a RangeError that the error handler turns into a 500.
t.test('a plan id holding a slash is refused with 400, never a 500', async (t) => {
  const planId = 'a/b'
  const before = await api.store.headPosition()
  const requests = [
    api.get(paths.plan(planId)),
    api.get(paths.task(planId, '1')),
    api.get(paths.task(planId, '1', 'events')),
    api.post(paths.tasks(planId), { body: { taskId: '1', title: '任务' } }),
    api.post(paths.task(planId, '1', 'assign'), { body: { leads: ['ip-office'] } }),
    api.post(paths.planCommand(planId, 'issue')),
  ]
  for (const res of await Promise.all(requests)) isError(t, res, 400, 'BAD_REQUEST')
  t.equal(await api.store.headPosition(), before, 'nothing was written')
})

t.test('an unknown route is a 404 NOT_FOUND in the same error shape', async (t) => {
  const res = await api.post('/planning/plans/x/tasks/y/approve', { body: {} })
  isError(t, res, 404, 'NOT_FOUND')
})

t.test('GET /health reports the store as ok', async (t) => {
  const res = await api.get('/health', { as: null })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok', checks: { store: { status: 'ok' } } })
})

t.test('GET /docs serves Swagger UI from the service itself, nothing from a CDN', async (t) => {
  const res = await api.get('/docs', { as: null })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/html/)
  t.match(res.headers['content-security-policy'], /default-src 'self'/)
  for (const cdn of ['cdn', 'unpkg', 'jsdelivr']) t.notOk(res.body.toLowerCase().includes(cdn), `no ${cdn}`)
  const assets = [...res.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '')
  t.ok(assets.length >= 3, 'the page loads its scripts and styles')
  for (const asset of assets) {
    t.match(asset, /^\/docs\//, `${asset} is served locally`)
    const loaded = await api.get(asset, { as: null })
    t.equal(loaded.statusCode, 200, `${asset} loads`)
  }
})

t.test(
  'GET /docs/json lists every route of the service, and every command route is in the test table',
  async (t) => {
    const res = await api.get('/docs/json', { as: null })
    t.equal(res.statusCode, 200)
    const documented = Object.entries(res.json().paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      )
      .sort()
    const openApiPath = (route: string) => route.replace(' /', ' /planning/').replace(/:(\w+)/g, '{$1}')
    const expected = [
      ...commandRoutes.map((route) => openApiPath(route.name)),
      'GET /planning/plans/{planId}',
      'GET /planning/plans/{planId}/tasks/{taskId}',
      'GET /planning/plans/{planId}/tasks/{taskId}/events',
    ].sort()
    t.same(documented, expected)
    t.equal(commandRoutes.length, 19, 'six plan commands and thirteen task commands')
  },
)
