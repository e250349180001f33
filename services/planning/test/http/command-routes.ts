import {
  bureaus,
  otherSmallPlan,
  paths,
  smallPlan,
  stages,
  streams,
  type Given,
  type Ids,
  type Who,
} from './harness.ts'

/** A request the route must refuse with 403, and why. */
export interface Refusal {
  why: string
  as: Who
  error: 'FORBIDDEN' | 'FORBIDDEN_ROLE' | 'FORBIDDEN_BUREAU' | 'NOT_LEAD_BUREAU'
}

/**
 * One command route: how to reach it, a state in which it succeeds and what it then records, and
 * the ways it must refuse. The HTTP tests are generated from this table so that no route is left out.
 */
export interface CommandRoute {
  name: string
  url: (ids: Ids) => string
  stream: (ids: Ids) => string
  as: Who
  given: Given
  body: (ids: Ids) => Record<string, unknown>
  events: string[]
  /** Fields whose absence the schema refuses. */
  required: string[]
  /** Merged over the body to give one field the wrong JSON type. */
  wrongType: { patch: Record<string, unknown>; field: string }
  refusals: Refusal[]
  /** A state in which the domain refuses the command (409 unless the aggregate is missing). */
  conflict: { given: Given; body?: (ids: Ids) => Record<string, unknown>; status: number; error: string }
}

const fixed = (body: Record<string, unknown>) => (): Record<string, unknown> => body
const auditorRefused: Refusal = { why: 'an auditor', as: 'auditor', error: 'FORBIDDEN' }
const strangerRefused: Refusal = {
  why: 'a bureau that is neither lead nor partner of the task',
  as: 'stranger',
  error: 'FORBIDDEN_BUREAU',
}
const roleRefused = (as: Who): Refusal => ({ why: `the ${as}`, as, error: 'FORBIDDEN_ROLE' })

const planCommand = (action: string) => (ids: Ids) => paths.planCommand(ids.planId, action)
const taskCommand = (action: string) => (ids: Ids) => paths.task(ids.planId, ids.taskId, action)
const imported: Given = { plan: 'imported' }

const planRoutes: CommandRoute[] = [
  {
    name: 'POST /plans/import',
    url: () => paths.import,
    stream: streams.plan,
    as: 'planner',
    given: {},
    body: (ids) => ({ text: smallPlan, planId: ids.planId }),
    events: ['PlanImported', 'TargetDefined'],
    required: [],
    wrongType: { patch: { text: 42 }, field: 'text' },
    refusals: [{ why: 'a bureau', as: 'lead', error: 'FORBIDDEN' }],
    conflict: {
      given: imported,
      body: (ids) => ({ text: otherSmallPlan, planId: ids.planId }),
      status: 409,
      error: 'PLAN_ALREADY_IMPORTED',
    },
  },
  {
    name: 'POST /plans/:planId/issue',
    url: planCommand('issue'),
    stream: streams.plan,
    as: 'planner',
    given: imported,
    body: fixed({}),
    events: ['PlanIssued'],
    required: [],
    wrongType: { patch: { occurredAt: 20180301 }, field: 'occurredAt' },
    refusals: [{ why: 'the supervisor', as: 'supervisor', error: 'FORBIDDEN' }],
    conflict: { given: {}, status: 404, error: 'PLAN_NOT_FOUND' },
  },
  {
    name: 'POST /plans/:planId/amend',
    url: planCommand('amend'),
    stream: streams.plan,
    as: 'planner',
    given: imported,
    body: fixed({ reason: '补登文号', changes: { docNumber: '浦府〔2018〕12号' } }),
    events: ['PlanAmended'],
    required: ['reason', 'changes'],
    wrongType: { patch: { changes: 'docNumber' }, field: 'changes' },
    refusals: [{ why: 'the secretariat', as: 'secretariat', error: 'FORBIDDEN' }],
    conflict: { given: {}, status: 404, error: 'PLAN_NOT_FOUND' },
  },
  {
    name: 'POST /plans/:planId/goals',
    url: planCommand('goals'),
    stream: streams.plan,
    as: 'planner',
    given: imported,
    body: fixed({ text: '知识产权保护体系更加完善' }),
    events: ['GoalDefined'],
    required: ['text'],
    wrongType: { patch: { text: ['知识产权'] }, field: 'text' },
    refusals: [auditorRefused],
    conflict: { given: {}, status: 404, error: 'PLAN_NOT_FOUND' },
  },
  {
    name: 'POST /plans/:planId/targets',
    url: planCommand('targets'),
    stream: streams.plan,
    as: 'planner',
    given: imported,
    body: fixed({
      metric: '专利授权量',
      text: '到2019年专利授权量达到5000件',
      value: 5000,
      unit: '件',
      deadline: '2019',
    }),
    events: ['TargetDefined'],
    required: ['metric', 'text', 'value', 'unit', 'deadline'],
    wrongType: { patch: { value: '5000' }, field: 'value' },
    refusals: [{ why: 'a bureau', as: 'lead', error: 'FORBIDDEN' }],
    conflict: {
      given: imported,
      // The small plan already has a 2019 target for this metric, with the value 10.
      body: fixed({
        metric: '知识产权示范企业',
        text: '示范企业达到12家',
        value: 12,
        unit: '家',
        deadline: '2019',
      }),
      status: 409,
      error: 'TARGET_EXISTS',
    },
  },
  {
    name: 'POST /plans/:planId/targets/:targetId/measurements',
    url: (ids) => `${paths.plan(ids.planId)}/targets/T1/measurements`,
    stream: streams.plan,
    as: 'planner',
    given: { plan: 'issued' },
    body: fixed({ value: 8, asOf: '2018-06-30' }),
    events: ['TargetMeasurementReported'],
    required: ['value', 'asOf'],
    wrongType: { patch: { value: 'eight' }, field: 'value' },
    refusals: [{ why: 'the supervisor', as: 'supervisor', error: 'FORBIDDEN' }],
    conflict: { given: imported, status: 409, error: 'PLAN_NOT_ISSUED' },
  },
]

const taskRoutes: CommandRoute[] = [
  {
    name: 'POST /plans/:planId/tasks',
    url: (ids) => paths.tasks(ids.planId),
    stream: streams.task,
    as: 'planner',
    given: {},
    body: (ids) => ({ taskId: ids.taskId, title: '加强展会知识产权保护', sectionPath: ['三', '(二)'] }),
    events: ['TaskPublished'],
    required: ['taskId', 'title'],
    wrongType: { patch: { title: 7 }, field: 'title' },
    refusals: [auditorRefused, { why: 'a bureau', as: 'lead', error: 'FORBIDDEN_ROLE' }],
    conflict: {
      given: { task: stages.published },
      body: (ids) => ({ taskId: ids.taskId, title: '另一项任务' }),
      status: 409,
      error: 'TASK_ALREADY_PUBLISHED',
    },
  },
  {
    name: 'POST /plans/:planId/tasks/:taskId/assign',
    url: taskCommand('assign'),
    stream: streams.task,
    as: 'planner',
    given: { task: stages.published },
    body: fixed({ leads: [bureaus.lead], partners: [bureaus.partner] }),
    events: ['TaskAssigned'],
    required: ['leads'],
    wrongType: { patch: { leads: bureaus.lead }, field: 'leads' },
    refusals: [auditorRefused, roleRefused('supervisor')],
    conflict: { given: { task: stages.cancelled }, status: 409, error: 'TASK_CANCELLED' },
  },
  {
    name: 'POST /plans/:planId/tasks/:taskId/acknowledge',
    url: taskCommand('acknowledge'),
    stream: streams.task,
    as: 'lead',
    given: { task: stages.assigned },
    body: fixed({}),
    events: ['TaskAcknowledged'],
    required: [],
    wrongType: { patch: { expectedRevision: '2' }, field: 'expectedRevision' },
    refusals: [
      auditorRefused,
      roleRefused('planner'),
      strangerRefused,
      { why: 'a partner bureau', as: 'partner', error: 'NOT_LEAD_BUREAU' },
    ],
    conflict: { given: { task: stages.cancelled }, status: 409, error: 'TASK_CANCELLED' },
  },
  {
    name: 'POST /plans/:planId/tasks/:taskId/deadline',
    url: taskCommand('deadline'),
    stream: streams.task,
    as: 'planner',
    given: { task: stages.published },
    body: fixed({ deadline: '2019-12-31' }),
    events: ['DeadlineSet'],
    required: ['deadline'],
    wrongType: { patch: { deadline: 20191231 }, field: 'deadline' },
    refusals: [auditorRefused, roleRefused('lead')],
    conflict: {
      given: { task: stages.deadlined },
      body: fixed({ deadline: '2019-06-30' }),
      status: 409,
      error: 'DEADLINE_ALREADY_SET',
    },
  },
  {
    name: 'POST /plans/:planId/tasks/:taskId/deadline-change',
    url: taskCommand('deadline-change'),
    stream: streams.task,
    as: 'supervisor',
    given: { task: stages.deadlined },
    body: fixed({ deadline: '2020-06-30', reason: '展会延期举办' }),
    events: ['DeadlineChanged'],
    required: ['deadline', 'reason'],
    wrongType: { patch: { reason: false }, field: 'reason' },
    refusals: [auditorRefused, roleRefused('lead')],
    conflict: { given: { task: stages.acknowledged }, status: 409, error: 'NO_DEADLINE' },
  },
  {
    name: 'POST /plans/:planId/tasks/:taskId/progress',
    url: taskCommand('progress'),
    stream: streams.task,
    as: 'partner',
    given: { task: stages.acknowledged },
    body: fixed({
      percent: 40,
      narrative: '已完成展会备案制度草案',
      evidence: [{ name: '草案', ref: 'doc-1' }],
    }),
    events: ['ProgressReported'],
    required: ['percent', 'narrative'],
    wrongType: { patch: { percent: '40' }, field: 'percent' },
    refusals: [auditorRefused, roleRefused('supervisor'), strangerRefused],
    conflict: { given: { task: stages.suspended }, status: 409, error: 'TASK_SUSPENDED' },
  },
  {
    name: 'POST /plans/:planId/tasks/:taskId/completion',
    url: taskCommand('completion'),
    stream: streams.task,
    as: 'lead',
    given: { task: stages.acknowledged },
    body: fixed({ summary: '展会知识产权备案、承诺制度已建立' }),
    events: ['CompletionSubmitted'],
    required: ['summary'],
    wrongType: { patch: { summary: 1 }, field: 'summary' },
    refusals: [
      auditorRefused,
      roleRefused('planner'),
      strangerRefused,
      { why: 'a partner bureau', as: 'partner', error: 'NOT_LEAD_BUREAU' },
    ],
    conflict: { given: { task: stages.assigned }, status: 409, error: 'TASK_NOT_ACKNOWLEDGED' },
  },
  {
    name: 'POST /plans/:planId/tasks/:taskId/verify',
    url: taskCommand('verify'),
    stream: streams.task,
    as: 'supervisor',
    given: { task: stages.submitted },
    body: fixed({ note: '材料齐全' }),
    events: ['CompletionVerified'],
    required: [],
    wrongType: { patch: { note: 5 }, field: 'note' },
    refusals: [auditorRefused, roleRefused('planner'), roleRefused('lead')],
    conflict: { given: { task: stages.acknowledged }, status: 409, error: 'COMPLETION_NOT_SUBMITTED' },
  },
  {
    name: 'POST /plans/:planId/tasks/:taskId/reject',
    url: taskCommand('reject'),
    stream: streams.task,
    as: 'supervisor',
    given: { task: stages.submitted },
    body: fixed({ reason: '缺少展会备案材料' }),
    events: ['CompletionRejected'],
    required: ['reason'],
    wrongType: { patch: { reason: null }, field: 'reason' },
    refusals: [auditorRefused, roleRefused('lead')],
    conflict: { given: { task: stages.verified }, status: 409, error: 'TASK_VERIFIED' },
  },
  {
    name: 'POST /plans/:planId/tasks/:taskId/close',
    url: taskCommand('close'),
    stream: streams.task,
    as: 'supervisor',
    given: { task: stages.verified },
    body: fixed({}),
    events: ['TaskClosed'],
    required: [],
    wrongType: { patch: { occurredAt: true }, field: 'occurredAt' },
    refusals: [auditorRefused, roleRefused('planner')],
    conflict: { given: { task: stages.submitted }, status: 409, error: 'COMPLETION_PENDING' },
  },
  {
    name: 'POST /plans/:planId/tasks/:taskId/suspend',
    url: taskCommand('suspend'),
    stream: streams.task,
    as: 'supervisor',
    given: { task: stages.assigned },
    body: fixed({ reason: '等待机构调整' }),
    events: ['TaskSuspended'],
    required: ['reason'],
    wrongType: { patch: { reason: 12 }, field: 'reason' },
    refusals: [auditorRefused, roleRefused('lead'), roleRefused('secretariat')],
    conflict: { given: { task: stages.verified }, status: 409, error: 'TASK_VERIFIED' },
  },
  {
    name: 'POST /plans/:planId/tasks/:taskId/resume',
    url: taskCommand('resume'),
    stream: streams.task,
    as: 'supervisor',
    given: { task: stages.suspended },
    body: fixed({ reason: '机构调整完成' }),
    events: ['TaskResumed'],
    required: ['reason'],
    wrongType: { patch: { reason: { text: '机构调整完成' } }, field: 'reason' },
    refusals: [auditorRefused, roleRefused('lead')],
    conflict: { given: { task: stages.assigned }, status: 409, error: 'TASK_NOT_SUSPENDED' },
  },
  {
    name: 'POST /plans/:planId/tasks/:taskId/cancel',
    url: taskCommand('cancel'),
    stream: streams.task,
    as: 'planner',
    given: { task: stages.assigned },
    body: fixed({ reason: '并入其他任务' }),
    events: ['TaskCancelled'],
    required: ['reason'],
    wrongType: { patch: { reason: [] }, field: 'reason' },
    refusals: [auditorRefused, roleRefused('supervisor')],
    conflict: { given: { task: stages.closed }, status: 409, error: 'TASK_CLOSED' },
  },
]

export const commandRoutes: CommandRoute[] = [...planRoutes, ...taskRoutes]
