// A year of a small district, 2025, for the annual review: three bureaus, a merge, plan tasks on
// time, late and overdue, a resolution assigning work, and a target with measurements. The figures
// each test expects are worked out by hand in annual-review.test.ts.
import type { LeafEvent } from '../src/index.ts'

export interface ScenarioEvent {
  streamId: string
  type: string
  data: Record<string, unknown>
  /** When it happened, ISO in UTC; recorded then too, or just after the event before. */
  at: string
}

/** 10:00 in Beijing on `day`. */
const on = (day: string) => `${day}T02:00:00.000Z`

const task = (taskId: string) => `task-p1/${taskId}`
const published = (taskId: string, title: string, day: string): ScenarioEvent => ({
  streamId: task(taskId),
  type: 'TaskPublished',
  data: {
    planId: 'p1',
    taskId,
    title,
    sectionPath: ['三'],
    basis: { kind: 'plan-clause', planId: 'p1', clause: taskId },
  },
  at: on(day),
})
const assigned = (
  taskId: string,
  leads: string[],
  day: string,
  cause?: Record<string, string>,
): ScenarioEvent => ({
  streamId: task(taskId),
  type: 'TaskAssigned',
  data: { leads, partners: [], ...(cause ? { cause } : {}) },
  at: on(day),
})
const ev = (streamId: string, type: string, data: Record<string, unknown>, day: string): ScenarioEvent => ({
  streamId,
  type,
  data,
  at: on(day),
})
const bureau = (bureauId: string, nameZh: string, nameEn: string): ScenarioEvent =>
  ev(
    `bureau-${bureauId}`,
    'BureauRegistered',
    {
      bureauId,
      nameZh,
      nameEn,
      shortName: nameZh,
      kind: '委办局',
      parentId: null,
      effectiveDate: '2024-01-01',
    },
    '2024-12-01',
  )

export const scenario: ScenarioEvent[] = [
  bureau('b-ip', '知识产权局', 'Intellectual Property Office'),
  bureau('b-sci', '科技和经济委员会', 'Science and Economy Commission'),
  bureau('b-old', '经济信息化委员会', 'Economy and Informatisation Commission'),
  ev(
    'plan-p1',
    'TargetDefined',
    {
      targetId: 'g1',
      metric: '每万人口发明专利拥有量',
      text: '每万人口发明专利拥有量达到48件',
      baseline: 30,
      value: 48,
      unit: '件',
      deadline: '2025',
      reportingBureauIds: ['b-ip'],
    },
    '2025-01-02',
  ),
  // T1: on time. Assigned 01-06, acknowledged 01-09 (3 days), done 06-20 for a 06-30 deadline.
  published('T1', '推进知识产权强区建设', '2025-01-05'),
  assigned('T1', ['b-ip'], '2025-01-06'),
  ev(task('T1'), 'DeadlineSet', { deadline: '2025-06-30' }, '2025-01-06'),
  ev(task('T1'), 'TaskAcknowledged', { bureauId: 'b-ip' }, '2025-01-09'),
  // T2: late. Acknowledged after 10 days; a rejected completion; done 04-10 for 03-31.
  published('T2', '完善专利快速审查机制', '2025-01-05'),
  assigned('T2', ['b-ip'], '2025-01-06'),
  ev(task('T2'), 'DeadlineSet', { deadline: '2025-03-31' }, '2025-01-06'),
  ev(task('T2'), 'TaskAcknowledged', { bureauId: 'b-ip' }, '2025-01-16'),
  // T3: overdue. Never acknowledged nor done; due 09-30, 93 days overdue at the year end.
  published('T3', '建设知识产权保护中心', '2025-01-05'),
  assigned('T3', ['b-ip'], '2025-01-06'),
  ev(task('T3'), 'DeadlineSet', { deadline: '2025-09-30' }, '2025-01-06'),
  // T4: due next year, so not in this review.
  published('T4', '开展专利导航', '2025-01-05'),
  assigned('T4', ['b-ip'], '2025-01-06'),
  ev(task('T4'), 'DeadlineSet', { deadline: '2026-03-31' }, '2025-01-06'),
  // T5: led by b-old, which merges into b-sci; b-sci acknowledges after 2 days and is on time.
  published('T5', '推动产业数字化转型', '2025-01-05'),
  assigned('T5', ['b-old'], '2025-01-06'),
  ev(task('T5'), 'DeadlineSet', { deadline: '2025-10-31' }, '2025-01-06'),
  ev(task('T5'), 'TaskAcknowledged', { bureauId: 'b-old' }, '2025-01-08'),
  ev('meeting-m1', 'ResolutionAdopted', resolution(), '2025-02-10'),
  published('R-m1-R1', '设立知识产权维权援助工作站', '2025-02-10'),
  assigned('R-m1-R1', ['b-ip'], '2025-02-11', { kind: 'resolution', id: 'm1/R1' }),
  ev(task('R-m1-R1'), 'DeadlineSet', { deadline: '2025-12-15' }, '2025-02-11'),
  ev(task('R-m1-R1'), 'TaskAcknowledged', { bureauId: 'b-ip' }, '2025-02-12'),
  ev(
    task('T1'),
    'ProgressReported',
    { bureauId: 'b-ip', percent: 50, narrative: '过半', evidence: [] },
    '2025-03-01',
  ),
  ev(task('T2'), 'CompletionSubmitted', { bureauId: 'b-ip', summary: '已完成', evidence: [] }, '2025-04-02'),
  ev(task('T2'), 'CompletionRejected', { reason: '材料不全' }, '2025-04-05'),
  ev(task('T2'), 'CompletionSubmitted', { bureauId: 'b-ip', summary: '已补充', evidence: [] }, '2025-04-10'),
  ev(task('T2'), 'CompletionVerified', { note: '同意' }, '2025-04-12'),
  ev(
    task('R-m1-R1'),
    'ProgressReported',
    { bureauId: 'b-ip', percent: 30, narrative: '选址', evidence: [] },
    '2025-05-01',
  ),
  ev(task('T1'), 'CompletionSubmitted', { bureauId: 'b-ip', summary: '已完成', evidence: [] }, '2025-06-20'),
  ev(task('T1'), 'CompletionVerified', { note: '同意' }, '2025-06-25'),
  // The merge: b-old ends on 07-01, b-sci takes its duty and its task.
  ev(
    'reorganisation-r1',
    'BureausMerged',
    {
      reorganisationId: 'r1',
      fromBureauIds: ['b-old'],
      intoBureauId: 'b-sci',
      effectiveDate: '2025-07-01',
      reason: '机构改革',
    },
    '2025-06-28',
  ),
  ev(
    'duties-b-old-responsibility',
    'DutyTransferred',
    {
      dutyId: 'd7',
      fromBureauId: 'b-old',
      toBureauId: 'b-sci',
      effectiveDate: '2025-07-01',
      reason: '机构改革',
      reorganisationId: 'r1',
    },
    '2025-06-28',
  ),
  ev(
    'duties-b-sci-responsibility',
    'DutyReceived',
    {
      dutyId: 'd7',
      duty: { title: '工业和信息化发展规划', category: '行政规划', legalBasis: '《规划条例》' },
      fromBureauId: 'b-old',
      toBureauId: 'b-sci',
      listKind: 'responsibility',
      effectiveDate: '2025-07-01',
      reason: '机构改革',
      reorganisationId: 'r1',
    },
    '2025-06-28',
  ),
  ev(
    'bureau-b-old',
    'BureauDissolved',
    { reorganisationId: 'r1', successorIds: ['b-sci'], effectiveDate: '2025-07-01', reason: '机构改革' },
    '2025-06-28',
  ),
  assigned('T5', ['b-sci'], '2025-07-01', { kind: 'reorganisation', id: 'r1' }),
  ev(task('T5'), 'TaskAcknowledged', { bureauId: 'b-sci' }, '2025-07-03'),
  ev(
    'plan-p1',
    'TargetMeasurementReported',
    { targetId: 'g1', value: 40, asOf: '2025-06-30', bureauId: 'b-ip' },
    '2025-07-05',
  ),
  ev(task('T5'), 'CompletionSubmitted', { bureauId: 'b-sci', summary: '完成', evidence: [] }, '2025-10-20'),
  ev(task('T5'), 'CompletionVerified', { note: '同意' }, '2025-10-22'),
  ev(
    task('R-m1-R1'),
    'CompletionSubmitted',
    { bureauId: 'b-ip', summary: '已建成', evidence: [] },
    '2025-11-30',
  ),
  ev(task('R-m1-R1'), 'CompletionVerified', { note: '同意' }, '2025-12-02'),
  // 23:30 on 12-31 in Beijing: still in 2025.
  {
    streamId: 'plan-p1',
    type: 'TargetMeasurementReported',
    data: { targetId: 'g1', value: 50, asOf: '2025-12-31', bureauId: 'b-ip' },
    at: '2025-12-31T15:30:00.000Z',
  },
  // Midnight in Beijing: 2026, so left out, with everything after it.
  {
    streamId: task('T3'),
    type: 'ProgressReported',
    data: { bureauId: 'b-ip', percent: 10, narrative: '启动', evidence: [] },
    at: '2025-12-31T16:00:00.000Z',
  },
  ev(task('T4'), 'TaskAcknowledged', { bureauId: 'b-ip' }, '2026-01-05'),
]

function resolution(): Record<string, unknown> {
  return {
    resolutionId: 'R1',
    text: '由知识产权局牵头设立维权援助工作站',
    effect: {
      kind: 'assign-work',
      planId: 'p1',
      taskId: 'R-m1-R1',
      title: '设立知识产权维权援助工作站',
      leads: ['b-ip'],
      partners: [],
      deadline: '2025-12-15',
    },
  }
}

/** The scenario as stored events: positions from 1, revisions from 1 in each stream. */
export function scenarioLeaves(events: readonly ScenarioEvent[] = scenario): LeafEvent[] {
  const revisions = new Map<string, number>()
  let last = 0
  return events.map((event, index) => {
    // The store records in position order: a business time earlier than the last is recorded just after it.
    last = Math.max(Date.parse(event.at), last + 1000)
    const recordedAt = new Date(last).toISOString()
    const revision = (revisions.get(event.streamId) ?? 0) + 1
    revisions.set(event.streamId, revision)
    return {
      id: `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`,
      streamId: event.streamId,
      revision,
      position: index + 1,
      type: event.type,
      schemaVersion: 1,
      data: event.data,
      metadata: { occurredAt: event.at, recordedAt },
    }
  })
}

/** The position of the first scenario event of `type` on `streamId`, counting from 1. */
export function positionOf(streamId: string, type: string, nth = 0): number {
  const matches = scenario.flatMap((event, index) =>
    event.streamId === streamId && event.type === type ? [index + 1] : [],
  )
  const found = matches[nth]
  if (found === undefined) throw new Error(`no ${type} #${nth} on ${streamId}`)
  return found
}
