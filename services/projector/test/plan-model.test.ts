import t from 'tap'
import { asBureau, harness, on } from './helpers.ts'

const h = await harness(t)

const header = {
  planId: 'pudong-ip',
  title: '浦东新区建设国家知识产权示范城市工作方案（2017-2019年）',
  docNumber: '浦府〔2017〕94号',
  issuer: '上海市浦东新区人民政府',
  issueDate: '2017-05-22',
  period: { from: '2017', to: '2019' },
  sections: [
    { ordinal: '二', title: '工作目标' },
    { ordinal: '三', title: '重点工作' },
  ],
  safeguards: ['建立联席会议机制'],
  source: { fileName: 'plan.txt', sha256: 'a'.repeat(64) },
}

const target = (targetId: string, metric: string, value: number, unit: string) => ({
  targetId,
  metric,
  text: `${metric}达到${value}${unit}`,
  baseline: null,
  value,
  unit,
  deadline: '2019',
  reportingBureauIds: ['ip-office'],
})

function task(taskId: string, sectionPath: string[]) {
  return {
    planId: 'pudong-ip',
    taskId,
    title: `任务${taskId}`,
    sectionPath,
    basis: { kind: 'plan-clause', planId: 'pudong-ip', clause: taskId },
  }
}

const progress = (percent: number) => ({ bureauId: 'ip-office', percent, narrative: '推进中', evidence: [] })

t.before(async () => {
  await h.append(
    'plan-pudong-ip',
    ['PlanImported', header, on('2017-05-22')],
    ['GoalDefined', { goalId: 'G1', text: '到2019年基本建成国家知识产权示范城市' }],
    ['TargetDefined', target('T1', '每万人口发明专利拥有量', 48, '件')],
    ['TargetDefined', { ...target('T2', '上海市著名商标', 255, '件'), baseline: 200 }],
    ['TargetMeasurementReported', { targetId: 'T1', value: 36, asOf: '2018-06-30', bureauId: 'ip-office' }],
    // A late report for an earlier day does not replace the latest one.
    ['TargetMeasurementReported', { targetId: 'T1', value: 30, asOf: '2017-12-31', bureauId: 'ip-office' }],
    ['PlanIssued', {}, on('2017-06-01')],
    ['PlanAmended', { reason: '补充文号', changes: { issuer: '浦东新区人民政府' } }],
  )
  await h.append('task-pudong-ip/三.(一).1', ['TaskPublished', task('三.(一).1', ['三', '(一)'])])
  await h.append(
    'task-pudong-ip/三.(一).2',
    ['TaskPublished', task('三.(一).2', ['三', '(一)'])],
    ['TaskAssigned', { leads: ['ip-office'], partners: [] }],
    ['ProgressReported', progress(60), asBureau('ip-office', '2018-03-01')],
  )
  await h.append(
    'task-pudong-ip/三.(二).1',
    ['TaskPublished', task('三.(二).1', ['三', '(二)'])],
    ['TaskAssigned', { leads: ['ip-office'], partners: [] }],
    ['CompletionSubmitted', { bureauId: 'ip-office', summary: '完成', evidence: [] }],
    ['CompletionVerified', { note: '通过' }],
  )
  await h.append(
    'task-pudong-ip/三.(二).2',
    ['TaskPublished', task('三.(二).2', ['三', '(二)'])],
    ['TaskCancelled', { reason: '并入其他任务' }],
  )
  await h.caughtUp()
})

t.test('given an imported, issued and amended plan, the tree shows its header and goals', async (t) => {
  const tree = await h.models.planTree('pudong-ip')
  t.match(tree?.plan, {
    planId: 'pudong-ip',
    status: 'issued',
    docNumber: '浦府〔2017〕94号',
    issuer: '浦东新区人民政府',
    amendments: 1,
    goals: [{ goalId: 'G1' }],
    importedAt: '2017-05-22T02:00:00.000Z',
    issuedAt: '2017-06-01T02:00:00.000Z',
  })
  t.equal(await h.models.planTree('no-such-plan'), null)
})

t.test('progress rolls up from tasks to sub-sections, sections and the plan', async (t) => {
  const tree = await h.models.planTree('pudong-ip')
  if (!tree) throw new Error('no plan')
  t.same(
    tree.sections.map((s) => [s.ordinal, s.title, s.progress.total]),
    [
      ['二', '工作目标', 0],
      ['三', '重点工作', 4],
    ],
  )
  const key = tree.sections[1]
  t.same(
    key?.sections.map((s) => [s.ordinal, s.progress.percent, s.tasks.map((task) => task.taskId)]),
    [
      ['(一)', 30, ['三.(一).1', '三.(一).2']],
      ['(二)', 100, ['三.(二).1', '三.(二).2']],
    ],
    'a cancelled task counts by status but not in the average',
  )
  t.same(key?.progress, {
    total: 4,
    overdue: 0,
    byStatus: { published: 1, in_progress: 1, verified: 1, cancelled: 1 },
    percent: 53.3,
  })
  t.equal(tree.progress.percent, 53.3)
})

t.test('targets carry baseline, latest measurement and attainment', async (t) => {
  const tree = await h.models.planTree('pudong-ip')
  t.same(
    tree?.targets.map((target) => [target.targetId, target.baseline, target.latest, target.attainment]),
    [
      ['T1', null, { value: 36, asOf: '2018-06-30', bureauId: 'ip-office' }, 0.75],
      ['T2', 200, null, null],
    ],
  )
  t.equal(tree?.targets[0]?.measurements, 2)
})

t.test('the plan timeline tells the story in Chinese', async (t) => {
  const { entries } = await h.models.timeline({ planId: 'pudong-ip', limit: 500 })
  const summaries = entries.map((e) => e.summary).reverse()
  t.equal(summaries[0], `导入工作方案《${header.title}》`)
  t.ok(summaries.includes('设定指标「每万人口发明专利拥有量」目标值 48件'))
  t.ok(summaries.includes('报告指标 T1 数值 36（截至 2018-06-30）'))
})
