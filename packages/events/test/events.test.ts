import { isDeepStrictEqual } from 'node:util'
import fc from 'fast-check'
import t from 'tap'
import {
  isPlanEventType,
  isPlanningEventType,
  isTaskEventType,
  parsePlanningStreamId,
  planEventTypes,
  planningEventTypes,
  planStreamId,
  taskEventTypes,
  taskStreamId,
  type PlanningEvent,
  type PlanningEventType,
} from '../src/index.ts'

// One sample per type. The mapped type makes the compiler demand every member of the unions, so
// comparing its keys with `planningEventTypes` proves the runtime list complete.
const samples: { [K in PlanningEventType]: Extract<PlanningEvent, { type: K }> } = {
  PlanImported: {
    type: 'PlanImported',
    data: {
      planId: 'pudong-ip-2017',
      title: '浦东新区国家知识产权示范城市(城区)培育工作方案(2017-2019)',
      docNumber: '浦府〔2017〕94号',
      issuer: '上海市浦东新区人民政府',
      issueDate: '2017-05-22',
      period: { from: '2017', to: '2019' },
      sections: [{ ordinal: '三', title: '重点工作' }],
      safeguards: ['建立联席会议制度'],
      source: { fileName: 'plan.txt', sha256: 'a'.repeat(64) },
    },
  },
  PlanIssued: { type: 'PlanIssued', data: {} },
  PlanAmended: {
    type: 'PlanAmended',
    data: { reason: '更正文号', changes: { docNumber: '浦府〔2017〕95号' } },
  },
  GoalDefined: { type: 'GoalDefined', data: { goalId: 'G1', text: '知识产权保护效果显著提升' } },
  TargetDefined: {
    type: 'TargetDefined',
    data: {
      targetId: 'T1',
      metric: '每万人口发明专利拥有量',
      text: '每万人口发明专利拥有量达到48件',
      baseline: null,
      value: 48,
      unit: '件',
      deadline: '2019',
      reportingBureauIds: ['ip-office'],
    },
  },
  TargetMeasurementReported: {
    type: 'TargetMeasurementReported',
    data: { targetId: 'T1', value: 41.5, asOf: '2018-12-31', bureauId: 'ip-office', note: '年报' },
  },
  TaskPublished: {
    type: 'TaskPublished',
    data: {
      planId: 'pudong-ip-2017',
      taskId: '三.(二).7',
      title: '展会知识产权保护',
      sectionPath: ['三', '(二)'],
      basis: { kind: 'plan-clause', planId: 'pudong-ip-2017', clause: '三.(二).7' },
    },
  },
  TaskAssigned: {
    type: 'TaskAssigned',
    data: { leads: ['ip-office'], partners: ['commerce'], cause: { kind: 'plan', id: 'pudong-ip-2017' } },
  },
  TaskAcknowledged: { type: 'TaskAcknowledged', data: { bureauId: 'ip-office' } },
  DeadlineSet: { type: 'DeadlineSet', data: { deadline: '2019-12-31' } },
  DeadlineChanged: {
    type: 'DeadlineChanged',
    data: { from: '2019-12-31', to: '2020-06-30', reason: '疫情' },
  },
  ProgressReported: {
    type: 'ProgressReported',
    data: {
      bureauId: 'ip-office',
      percent: 40,
      narrative: '已完成调研',
      evidence: [{ name: '调研报告', ref: 'doc-1' }],
    },
  },
  CompletionSubmitted: {
    type: 'CompletionSubmitted',
    data: { bureauId: 'ip-office', summary: '已办结', evidence: [] },
  },
  CompletionVerified: { type: 'CompletionVerified', data: { note: '' } },
  CompletionRejected: { type: 'CompletionRejected', data: { reason: '材料不全' } },
  TaskClosed: { type: 'TaskClosed', data: {} },
  TaskSuspended: { type: 'TaskSuspended', data: { reason: '机构改革' } },
  TaskResumed: { type: 'TaskResumed', data: { reason: '改革完成' } },
  TaskCancelled: { type: 'TaskCancelled', data: { reason: '并入其他任务' } },
  DeadlineApproaching: { type: 'DeadlineApproaching', data: { deadline: '2019-12-31', daysLeft: 7 } },
  DeadlineMissed: { type: 'DeadlineMissed', data: { deadline: '2019-12-31' } },
}

t.test('the catalogue lists every planning event type exactly once', async (t) => {
  t.same([...planningEventTypes].sort(), Object.keys(samples).sort())
  t.equal(new Set(planningEventTypes).size, planningEventTypes.length)
  t.same([...planEventTypes, ...taskEventTypes], planningEventTypes)
})

t.test('the type guards tell plan, task and unknown types apart', async (t) => {
  for (const type of planEventTypes) t.ok(isPlanEventType(type) && !isTaskEventType(type), type)
  for (const type of taskEventTypes) t.ok(isTaskEventType(type) && !isPlanEventType(type), type)
  for (const type of planningEventTypes) t.ok(isPlanningEventType(type), type)
  for (const type of ['toString', 'constructor', 'TaskReopened', '']) t.notOk(isPlanningEventType(type), type)
})

t.test('event data survives a JSON round trip unchanged', async (t) => {
  for (const event of Object.values(samples)) t.same(JSON.parse(JSON.stringify(event)), event, event.type)
})

t.test('stream ids name plans and tasks', async (t) => {
  t.equal(planStreamId('pudong-ip-2017'), 'plan-pudong-ip-2017')
  t.equal(taskStreamId('pudong-ip-2017', '三.(二).7'), 'task-pudong-ip-2017/三.(二).7')
  t.same(parsePlanningStreamId('task-p1/a/b'), { kind: 'task', planId: 'p1', taskId: 'a/b' })
})

t.test('ids that would make a stream id ambiguous are refused', async (t) => {
  t.throws(() => planStreamId(''), RangeError)
  t.throws(() => planStreamId('a/b'), RangeError)
  t.throws(() => taskStreamId('p1', ''), RangeError)
  for (const id of ['plan-', 'task-p1', 'task-/x', 'task-p1/', 'meeting-1', 'plan-a/b', '']) {
    t.equal(parsePlanningStreamId(id), undefined, id)
  }
})

t.test('parsing a built stream id gives back its ids', async (t) => {
  const planId = fc.string({ minLength: 1, unit: 'grapheme' }).filter((s) => !s.includes('/'))
  const taskId = fc.string({ minLength: 1, unit: 'grapheme' })
  fc.assert(
    fc.property(
      planId,
      taskId,
      (planId, taskId) =>
        isDeepStrictEqual(parsePlanningStreamId(planStreamId(planId)), { kind: 'plan', planId }) &&
        isDeepStrictEqual(parsePlanningStreamId(taskStreamId(planId, taskId)), {
          kind: 'task',
          planId,
          taskId,
        }),
    ),
  )
  t.pass('round trip holds for generated ids')
})
