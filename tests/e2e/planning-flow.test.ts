import { readFileSync } from 'node:fs'
import { openEmbeddedStore, openPostgresStore, type EventStore, type RecordedEvent } from '@coord/eventstore'
import { createTestSchema } from '@coord/eventstore/testing'
import t, { type Test } from 'tap'
import { build } from '@coord/planning'
import { loadConfig, signToken } from '@coord/service-kit'

// End to end over a real socket: the example plan is imported and issued, task 三.(二).7 goes from
// assignment through a rejected and a verified completion to close-out, and its history reads back
// exactly, on the embedded store and on PostgreSQL.

const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }, { envFile: false })
const example = readFileSync(
  new URL('../../packages/plan-import/examples/pudong-ip-demo-city-plan-2017-2019.txt', import.meta.url),
  'utf8',
)
const lead = 'ip-office'
const partner = 'commerce'
const taskId = '三.(二).7'

const actors = {
  planner: { role: 'planner', user: 'plan-office-zhang' },
  supervisor: { role: 'supervisor', user: 'supervision-wang' },
  auditor: { role: 'auditor', user: 'auditor-zhao' },
  lead: { role: 'bureau', bureauId: lead, user: 'ip-office-clerk' },
  partner: { role: 'bureau', bureauId: partner, user: 'commerce-clerk' },
} as const
type Who = keyof typeof actors
const tokens = Object.fromEntries(
  Object.entries(actors).map(([who, actor]) => [who, signToken(config, actor)]),
) as Record<Who, string>

interface Adapter {
  name: string
  open(t: Test): Promise<EventStore>
}

const adapters: Adapter[] = [
  {
    name: 'the embedded store',
    async open(t) {
      const store = await openEmbeddedStore()
      t.teardown(() => store.close())
      return store
    },
  },
  {
    name: 'PostgreSQL',
    async open(t) {
      const schema = await createTestSchema('planning_e2e')
      const store = await openPostgresStore({
        connectionString: schema.connectionString,
        schema: schema.schema,
      })
      t.teardown(async () => {
        await store.close()
        await schema.drop()
      })
      return store
    },
  },
]

/** A client of the listening service: every request carries its own correlation id. */
function client(base: string) {
  return async (as: Who, method: 'GET' | 'POST', path: string, body?: object, correlationId?: string) => {
    const headers: Record<string, string> = { authorization: `Bearer ${tokens[as]}` }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (correlationId !== undefined) headers['x-correlation-id'] = correlationId
    const res = await fetch(`${base}/planning${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: res.status, body: (await res.json()) as Record<string, unknown> }
  }
}

const task = (planId: string, action = '') =>
  `/plans/${planId}/tasks/${encodeURIComponent(taskId)}${action === '' ? '' : `/${action}`}`

/** When the lead bureau signed, as it reports it: business time, not the time it was recorded. */
const signedAt = '2018-03-01T09:30:00+08:00'

for (const adapter of adapters) {
  t.test(`on ${adapter.name}, task 三.(二).7 runs from import to close-out over HTTP`, async (t) => {
    const store = await adapter.open(t)
    const app = await build(config, { store })
    const base = await app.listen({ port: 0, host: '127.0.0.1' })
    t.teardown(() => app.close())
    const call = client(base)
    const planId = 'pudong-ip-2017'

    const imported = await call('planner', 'POST', '/plans/import', { text: example, planId }, 'e2e-import')
    t.equal(imported.status, 200, JSON.stringify(imported.body))
    t.match(imported.body, { planId, targets: 3, tasks: 33 })
    const issued = await call('planner', 'POST', `/plans/${planId}/issue`, {}, 'e2e-issue')
    t.same(issued.body.events, ['PlanIssued'])

    // Each step: who, which route, the body, and the event it must record.
    const steps: [Who, string, object, string][] = [
      ['planner', 'assign', { leads: [lead], partners: [partner] }, 'TaskAssigned'],
      ['planner', 'deadline', { deadline: '2019-12-31' }, 'DeadlineSet'],
      ['lead', 'acknowledge', { occurredAt: signedAt }, 'TaskAcknowledged'],
      ['partner', 'progress', { percent: 40, narrative: '商务委已完成展会主办方培训' }, 'ProgressReported'],
      ['lead', 'progress', { percent: 80, narrative: '备案、承诺制度已起草' }, 'ProgressReported'],
      ['lead', 'completion', { summary: '展会知识产权备案、承诺制度已建立' }, 'CompletionSubmitted'],
      ['supervisor', 'reject', { reason: '缺少新国际博览中心的执行记录' }, 'CompletionRejected'],
      ['lead', 'completion', { summary: '已补充新国际博览中心执行记录' }, 'CompletionSubmitted'],
      ['supervisor', 'verify', { note: '材料齐全' }, 'CompletionVerified'],
      ['supervisor', 'close', {}, 'TaskClosed'],
    ]
    for (const [i, [as, action, body, event]] of steps.entries()) {
      const res = await call(as, 'POST', task(planId, action), body, `e2e-step-${i + 1}`)
      t.equal(res.status, 200, `${as} ${action}: ${JSON.stringify(res.body)}`)
      t.same(res.body.events, [event], `${action} records ${event}`)
    }

    const read = await call('auditor', 'GET', task(planId, 'events'))
    t.equal(read.status, 200)
    const events = read.body.events as RecordedEvent[]
    t.same(
      events.map((e) => e.type),
      [
        'TaskPublished',
        'TaskAssigned',
        'DeadlineSet',
        'TaskAcknowledged',
        'ProgressReported',
        'ProgressReported',
        'CompletionSubmitted',
        'CompletionRejected',
        'CompletionSubmitted',
        'CompletionVerified',
        'TaskClosed',
      ],
    )
    t.same(
      events.map((e) => e.revision),
      Array.from({ length: 11 }, (_, i) => i + 1),
      'revisions 1..11',
    )
    const positions = events.map((e) => e.position)
    t.ok(
      positions.every((p, i) => i === 0 || p > (positions[i - 1] ?? 0)),
      'positions increase',
    )
    // After the import and the plan's issue, nothing but this task was written: no gaps.
    const first = positions[1] ?? 0
    t.same(
      positions.slice(1),
      Array.from({ length: 10 }, (_, i) => first + i),
      'dense from the assignment on',
    )
    const all: number[] = []
    for await (const event of store.readAll()) all.push(event.position)
    t.same(
      all,
      Array.from({ length: all.length }, (_, i) => i + 1),
      'the whole log is dense from position 1',
    )

    const expectedActors: Who[] = ['planner', ...steps.map(([as]) => as)]
    const correlationIds = ['e2e-import', ...steps.map((_, i) => `e2e-step-${i + 1}`)]
    events.forEach((event, i) => {
      const who = expectedActors[i] as Who
      t.same(event.metadata.actor, actors[who], `${event.type}: actor ${who}`)
      t.equal(event.metadata.correlationId, correlationIds[i], `${event.type}: the request's correlation id`)
      t.ok(Number.isFinite(Date.parse(event.metadata.occurredAt)), `${event.type}: occurredAt`)
      t.ok(Number.isFinite(Date.parse(event.metadata.recordedAt)), `${event.type}: recordedAt`)
    })
    const acknowledged = events[3]
    t.equal(acknowledged?.metadata.occurredAt, signedAt, 'the business time the bureau gave')
    t.not(acknowledged?.metadata.recordedAt, signedAt, 'recorded when the platform stored it')
    t.same(events[4]?.data, {
      bureauId: partner,
      percent: 40,
      narrative: '商务委已完成展会主办方培训',
      evidence: [],
    })
    t.same(events[7]?.data, { reason: '缺少新国际博览中心的执行记录' })

    const state = await call('auditor', 'GET', task(planId))
    t.match(state.body, { revision: 11, state: { status: 'closed', leads: [lead], partners: [partner] } })

    for (const [as, action, body] of [
      ['lead', 'progress', { percent: 100, narrative: '补充说明' }],
      ['planner', 'assign', { leads: [partner] }],
    ] as const) {
      const late = await call(as, 'POST', task(planId, action), body)
      t.equal(late.status, 409, `${action} on a closed task`)
      t.match(late.body, { error: 'TASK_CLOSED' })
    }
    t.equal(
      (await store.streamState(`task-${planId}/${taskId}`))?.revision,
      11,
      'nothing was added after close-out',
    )
  })
}
