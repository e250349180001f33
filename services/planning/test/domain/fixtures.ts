import type { Command, CommandActor, CommandMetadata, Decider, DomainEvent } from '@coord/domain'
import { deciderSpec } from '@coord/domain/testing'
import type { PlanEvent, TaskEvent } from '@coord/events'
import type { PlanCommand, TargetInput, TaskCommand } from '../../src/domain.ts'

/** The assertions deciderSpec uses, with messages required: that is the shape tap's `t` has. */
interface TapAssertions {
  same(found: unknown, wanted: unknown, message: string): unknown
  fail(message: string): unknown
  ok(value: unknown, message: string): unknown
}

/**
 * deciderSpec for tap. @coord/domain/testing declares optional messages, which tap's overloaded
 * assertion signatures do not accept in TypeScript, so `t` is passed through this adapter.
 */
export function specFor<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  const spec = deciderSpec(decider)
  return (t: TapAssertions) =>
    spec({
      same: (found, wanted, message) => t.same(found, wanted, message ?? 'decided events'),
      fail: (message) => t.fail(message),
      ok: (value, message) => t.ok(value, message ?? 'holds'),
    })
}

// 2018-03-01 10:00 in Shanghai: the business day is 2018-03-01.
export const now = '2018-03-01T02:00:00.000Z'

export const planner: CommandActor = { role: 'planner', user: 'plan-office-zhang' }
export const secretariat: CommandActor = { role: 'secretariat', user: 'secretariat-li' }
export const supervisor: CommandActor = { role: 'supervisor', user: 'supervision-wang' }
export const auditor: CommandActor = { role: 'auditor', user: 'auditor-zhao' }
export const system: CommandActor = { role: 'system', user: 'deadline-watcher' }
export const bureau = (bureauId: string): CommandActor => ({
  role: 'bureau',
  bureauId,
  user: `${bureauId}-clerk`,
})

/** 知识产权局 leads the sample task, 商务委 is its partner, 文广局 has nothing to do with it. */
export const ipOffice = bureau('ip-office')
export const commerce = bureau('commerce')
export const culture = bureau('culture')

export function metadata(actor: CommandActor, at = now): CommandMetadata {
  return { actor, now: at }
}

type PlanCommandOf<T extends PlanCommand['type']> = Extract<PlanCommand, { type: T }>
type TaskCommandOf<T extends TaskCommand['type']> = Extract<TaskCommand, { type: T }>

export function planCommand<T extends PlanCommand['type']>(
  type: T,
  data: PlanCommandOf<T>['data'],
  actor: CommandActor = planner,
  at = now,
): PlanCommandOf<T> {
  return { type, data, metadata: metadata(actor, at) } as PlanCommandOf<T>
}

export function taskCommand<T extends TaskCommand['type']>(
  type: T,
  data: TaskCommandOf<T>['data'],
  actor: CommandActor,
  at = now,
): TaskCommandOf<T> {
  return { type, data, metadata: metadata(actor, at) } as TaskCommandOf<T>
}

// ---- the plan

export const planId = 'pudong-ip-2017'
export const sha256 = 'ab'.repeat(32)

export const header = {
  title: '浦东新区国家知识产权示范城市(城区)培育工作方案(2017-2019)',
  docNumber: '浦府〔2017〕94号',
  issuer: '上海市浦东新区人民政府',
  issueDate: '2017-05-22',
  period: { from: '2017', to: '2019' },
  sections: [
    { ordinal: '一', title: '指导思想' },
    { ordinal: '二', title: '工作目标' },
    { ordinal: '三', title: '重点工作' },
  ],
  safeguards: ['建立联席会议制度', '加大资金投入', '加强考核评估'],
}

export const patents: TargetInput = {
  metric: '每万人口发明专利拥有量',
  text: '每万人口发明专利拥有量达到48件',
  value: 48,
  unit: '件',
  deadline: '2019',
}

export const trademarks: TargetInput = {
  metric: '上海市著名商标数量',
  text: '上海市著名商标数量达到255件',
  value: 255,
  unit: '件',
  deadline: '2019',
  baseline: 200,
  reportingBureauIds: ['market-supervision'],
}

export const importData = {
  planId,
  ...header,
  source: { fileName: 'pudong-ip-demo-city-plan-2017-2019.txt', sha256 },
  targets: [patents, trademarks],
}

export const planImported: PlanEvent = {
  type: 'PlanImported',
  data: { planId, ...header, source: importData.source },
}

export const patentsDefined: PlanEvent = {
  type: 'TargetDefined',
  data: { targetId: 'T1', ...patents, baseline: null, reportingBureauIds: [] },
}

export const trademarksDefined: PlanEvent = {
  type: 'TargetDefined',
  data: { targetId: 'T2', ...trademarks, baseline: 200, reportingBureauIds: ['market-supervision'] },
}

export const imported: PlanEvent[] = [planImported, patentsDefined, trademarksDefined]
export const issued: PlanEvent[] = [...imported, { type: 'PlanIssued', data: {} }]

// ---- the task 三.(二).7 展会知识产权保护

export const taskId = '三.(二).7'
export const publishData = {
  planId,
  taskId,
  title: '展会知识产权保护',
  sectionPath: ['三', '(二)'],
  basis: { kind: 'plan-clause' as const, planId, clause: taskId },
}
export const resolutionBasis = { kind: 'resolution' as const, meetingId: 'jm-2018-1', resolutionId: 'r3' }

export const published: TaskEvent[] = [{ type: 'TaskPublished', data: publishData }]
export const publishedFromResolution: TaskEvent[] = [
  { type: 'TaskPublished', data: { ...publishData, basis: resolutionBasis } },
]
export const assigned: TaskEvent[] = [
  ...published,
  { type: 'TaskAssigned', data: { leads: ['ip-office'], partners: ['commerce'] } },
]
export const acknowledged: TaskEvent[] = [
  ...assigned,
  { type: 'TaskAcknowledged', data: { bureauId: 'ip-office' } },
]
export const evidence = [{ name: '展会执法记录', ref: 'doc-2018-017' }]
export const inProgress: TaskEvent[] = [
  ...acknowledged,
  {
    type: 'ProgressReported',
    data: { bureauId: 'ip-office', percent: 60, narrative: '已进驻进博会', evidence },
  },
]
export const submitted: TaskEvent[] = [
  ...inProgress,
  { type: 'CompletionSubmitted', data: { bureauId: 'ip-office', summary: '已办结', evidence } },
]
export const verified: TaskEvent[] = [...submitted, { type: 'CompletionVerified', data: { note: '' } }]
export const closed: TaskEvent[] = [...verified, { type: 'TaskClosed', data: {} }]
export const cancelled: TaskEvent[] = [
  ...assigned,
  { type: 'TaskCancelled', data: { reason: '并入其他任务' } },
]
export const suspended: TaskEvent[] = [...inProgress, { type: 'TaskSuspended', data: { reason: '机构改革' } }]

export function withDeadline(events: TaskEvent[], deadline: string): TaskEvent[] {
  return [...events, { type: 'DeadlineSet', data: { deadline } }]
}
