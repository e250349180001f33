import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { planStreamId, taskStreamId } from '@coord/events'
import { openEmbeddedStore, type EventStore, type RecordedEvent } from '@coord/eventstore'
import { loadConfig, signToken, type Role } from '@coord/service-kit'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { Test } from 'tap'
import { build } from '../../src/app.ts'

// What the HTTP tests of the planning service share: one configuration, a token per actor, the
// documents they import, and a client over `app.inject` that builds tasks up to a given status.

export const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }, { envFile: false })

/** The bureau that leads the sample task, its partner, and one with nothing to do with it. */
export const bureaus = { lead: 'ip-office', partner: 'commerce', stranger: 'culture' } as const

export const actors = {
  planner: { role: 'planner', user: 'plan-office-zhang' },
  secretariat: { role: 'secretariat', user: 'secretariat-li' },
  supervisor: { role: 'supervisor', user: 'supervision-wang' },
  auditor: { role: 'auditor', user: 'auditor-zhao' },
  lead: { role: 'bureau', bureauId: bureaus.lead, user: 'ip-office-clerk' },
  partner: { role: 'bureau', bureauId: bureaus.partner, user: 'commerce-clerk' },
  stranger: { role: 'bureau', bureauId: bureaus.stranger, user: 'culture-clerk' },
} satisfies Record<string, { role: Role; bureauId?: string; user: string }>

export type Who = keyof typeof actors

export const tokens = Object.fromEntries(
  Object.entries(actors).map(([who, actor]) => [who, `Bearer ${signToken(config, actor)}`]),
) as Record<Who, string>

/** A token of `who` that expired an hour ago, signed with the right key. */
export function expiredToken(who: Who): string {
  const now = Math.floor(Date.now() / 1000) - 7200
  return `Bearer ${signToken(config, { ...actors[who], now, expiresIn: 3600 })}`
}

/** A token signed with another key: well formed, wrongly signed. */
export function foreignToken(who: Who): string {
  const other = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }, { envFile: false })
  return `Bearer ${signToken(other, actors[who])}`
}

export const examplePath = fileURLToPath(
  new URL(
    '../../../../packages/plan-import/examples/pudong-ip-demo-city-plan-2017-2019.txt',
    import.meta.url,
  ),
)
export const exampleText = readFileSync(examplePath, 'utf8')

/** A small plan whose two tasks name their lead bureaus (the example names none). */
export const smallPlan = [
  '浦东新区测试协作工作方案(2018-2019)',
  '',
  '一、工作目标',
  '',
  '到2019年，知识产权示范企业达到10家。',
  '',
  '二、重点工作',
  '',
  '1．建立知识产权协作机制（牵头单位：区知识产权局；配合单位：区商务委）。',
  '',
  '2．开展知识产权宣传（牵头单位：区委宣传部）。',
  '',
  '三、保障措施',
  '',
  '（一）加强组织领导',
  '',
  '上海市浦东新区人民政府',
  '',
  '2018年3月1日',
  '',
].join('\n')

/** Another document: same shape, other title, so it cannot be imported as the same plan. */
export const otherSmallPlan = smallPlan.replace('测试协作', '试点协作')

/** The task every task-route test works on: a numbering path that needs percent-encoding. */
export const sampleTaskId = '三.(二).7'

export interface Ids {
  planId: string
  taskId: string
}

/** Ids no other test uses, so the tests of a file can share one store. */
export function newIds(prefix = 'h'): Ids {
  return { planId: `${prefix}${randomBytes(5).toString('hex')}`, taskId: sampleTaskId }
}

export const paths = {
  import: '/planning/plans/import',
  plan: (planId: string) => `/planning/plans/${encodeURIComponent(planId)}`,
  planCommand: (planId: string, action: string) => `${paths.plan(planId)}/${action}`,
  tasks: (planId: string) => `${paths.plan(planId)}/tasks`,
  task: (planId: string, taskId: string, action?: string) =>
    `${paths.tasks(planId)}/${encodeURIComponent(taskId)}${action === undefined ? '' : `/${action}`}`,
}

export const streams = {
  plan: (ids: Ids) => planStreamId(ids.planId),
  task: (ids: Ids) => taskStreamId(ids.planId, ids.taskId),
}

export interface Call {
  /** Who sends it; null: no Authorization header. Default the planner. */
  as?: Who | null
  /** A raw Authorization header, instead of `as`. */
  authorization?: string
  body?: unknown
  headers?: Record<string, string>
}

export type Response = LightMyRequestResponse

/** HTTP over `app.inject`, with the store behind the app for checking what was written. */
export class Api {
  constructor(
    readonly app: FastifyInstance,
    readonly store: EventStore,
  ) {}

  post(url: string, call: Call = {}): Promise<Response> {
    return this.app.inject({
      method: 'POST',
      url,
      headers: this.headers(call),
      ...(call.body === undefined ? {} : { payload: call.body as object | string }),
    })
  }

  get(url: string, call: Call = {}): Promise<Response> {
    return this.app.inject({ method: 'GET', url, headers: this.headers(call) })
  }

  private headers(call: Call): Record<string, string> {
    const headers: Record<string, string> = { ...call.headers }
    const authorization = call.authorization ?? (call.as === null ? undefined : tokens[call.as ?? 'planner'])
    if (authorization !== undefined) headers.authorization = authorization
    return headers
  }
}

/** The planning app on `store` (default: a fresh in-memory store), closed in teardown. */
export async function openApi(t: Test, store?: EventStore): Promise<Api> {
  const opened = store ?? (await openEmbeddedStore())
  const app = await build(config, { store: opened })
  t.teardown(async () => {
    await app.close()
    if (store === undefined) await opened.close()
  })
  return new Api(app, opened)
}

// ---- building a task up to a status, through the API itself

interface StepCall {
  as: Who
  url: (ids: Ids) => string
  body: (ids: Ids) => Record<string, unknown>
}

const taskStep = (as: Who, action: string, body: Record<string, unknown> = {}): StepCall => ({
  as,
  url: (ids) => paths.task(ids.planId, ids.taskId, action),
  body: () => body,
})

export const steps = {
  publish: {
    as: 'planner',
    url: (ids) => paths.tasks(ids.planId),
    body: (ids) => ({ taskId: ids.taskId, title: '加强展会知识产权保护', sectionPath: ['三', '(二)'] }),
  },
  assign: taskStep('planner', 'assign', { leads: [bureaus.lead], partners: [bureaus.partner] }),
  acknowledge: taskStep('lead', 'acknowledge'),
  deadline: taskStep('planner', 'deadline', { deadline: '2019-12-31' }),
  progress: taskStep('partner', 'progress', { percent: 30, narrative: '展会备案制度草案已完成' }),
  submit: taskStep('lead', 'completion', { summary: '展会知识产权备案、承诺制度已建立' }),
  reject: taskStep('supervisor', 'reject', { reason: '缺少展会备案材料' }),
  verify: taskStep('supervisor', 'verify'),
  close: taskStep('supervisor', 'close'),
  suspend: taskStep('supervisor', 'suspend', { reason: '等待机构调整' }),
  cancel: taskStep('planner', 'cancel', { reason: '并入其他任务' }),
} satisfies Record<string, StepCall>

export type Step = keyof typeof steps

const assigned: Step[] = ['publish', 'assign']
const acknowledged: Step[] = [...assigned, 'acknowledge']
const submitted: Step[] = [...acknowledged, 'submit']
const verified: Step[] = [...submitted, 'verify']

/** The task statuses the route tests start from, as the steps that lead there. */
export const stages = {
  published: ['publish'],
  assigned,
  acknowledged,
  deadlined: [...acknowledged, 'deadline'],
  inProgress: [...acknowledged, 'progress'],
  submitted,
  verified,
  closed: [...verified, 'close'],
  suspended: [...assigned, 'suspend'],
  cancelled: [...assigned, 'cancel'],
} satisfies Record<string, Step[]>

export interface Given {
  plan?: 'imported' | 'issued'
  task?: readonly Step[]
}

/** Brings the plan and the task of `ids` to `given`; a step the API refuses fails loudly. */
export async function given(api: Api, ids: Ids, state: Given): Promise<void> {
  if (state.plan !== undefined) {
    await expectOk(api.post(paths.import, { body: { text: smallPlan, planId: ids.planId } }), 'import')
    if (state.plan === 'issued') await expectOk(api.post(paths.planCommand(ids.planId, 'issue')), 'issue')
  }
  for (const step of state.task ?? []) {
    const call = steps[step]
    await expectOk(api.post(call.url(ids), { as: call.as, body: call.body(ids) }), step)
  }
}

async function expectOk(response: Promise<Response>, what: string): Promise<void> {
  const res = await response
  if (res.statusCode !== 200) throw new Error(`given ${what}: ${res.statusCode} ${res.body}`)
}

// ---- reading back what was written

export async function revisionOf(store: EventStore, streamId: string): Promise<number> {
  return (await store.streamState(streamId))?.revision ?? 0
}

export async function eventsOf(store: EventStore, streamId: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = []
  for await (const event of store.readStream(streamId)) events.push(event)
  return events
}

export interface Snapshot {
  revision: number
  head: number
}

export async function snapshot(store: EventStore, streamId: string): Promise<Snapshot> {
  return { revision: await revisionOf(store, streamId), head: await store.headPosition() }
}

/** Asserts nothing was appended since `before`: neither to the stream nor anywhere else. */
export async function writesNothing(t: Test, store: EventStore, streamId: string, before: Snapshot) {
  t.same(await snapshot(store, streamId), before, 'nothing was written')
}

/** Asserts an error answer: its status, its stable code and any code-specific fields. */
export function isError(t: Test, res: Response, status: number, error: string, fields: object = {}) {
  t.equal(res.statusCode, status, `status ${status} (${res.body})`)
  t.match(res.json(), { error, message: String, ...fields }, `error ${error}`)
}
