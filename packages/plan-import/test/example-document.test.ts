import { readFileSync } from 'node:fs'
import t from 'tap'
import { detectKind, importPlan } from '../src/index.ts'

// The brief's example: Pudong's 2017-2019 IP demonstration city plan, published with its notice.
const bytes = readFileSync(new URL('../examples/pudong-ip-demo-city-plan-2017-2019.txt', import.meta.url))
const plan = importPlan(bytes)

t.test('the example plan is read as a plan with its own title, not the notice', async (t) => {
  t.equal(detectKind(new TextDecoder().decode(bytes)), 'plan')
  t.equal(plan.title, '浦东新区国家知识产权示范城市(城区)培育工作方案(2017-2019)')
  t.equal(plan.period, '2017-2019')
})

t.test('the example plan has its doc number, issuer and signature date', async (t) => {
  t.equal(plan.docNumber, '浦府〔2017〕94号')
  t.equal(plan.issuer, '上海市浦东新区人民政府')
  t.equal(plan.issueDate, '2017-05-22')
})

t.test('the example plan has four top-level sections', async (t) => {
  t.same(plan.sections, [
    { ordinal: '一', title: '指导思想' },
    { ordinal: '二', title: '工作目标' },
    { ordinal: '三', title: '重点工作' },
    { ordinal: '四', title: '保障措施' },
  ])
})

t.test('the example plan has the three 2019 targets of its goals section', async (t) => {
  t.same(plan.targets, [
    {
      text: '每万人口发明专利拥有量达到48件',
      metric: '每万人口发明专利拥有量',
      value: 48,
      unit: '件',
      deadline: '2019',
    },
    {
      text: '上海市著名商标数量达到255件',
      metric: '上海市著名商标数量',
      value: 255,
      unit: '件',
      deadline: '2019',
    },
    {
      text: '软件著作权新增登记量达到1.8万件',
      metric: '软件著作权新增登记量',
      value: 1.8,
      unit: '万件',
      deadline: '2019',
    },
  ])
})

t.test('the example plan has 33 tasks from 三.(一).1 to 三.(七).3, in order', async (t) => {
  const groups: [string, number][] = [
    ['一', 5],
    ['二', 7],
    ['三', 4],
    ['四', 4],
    ['五', 7],
    ['六', 3],
    ['七', 3],
  ]
  const ids = groups.flatMap(([group, count]) =>
    Array.from({ length: count }, (_, i) => `三.(${group}).${i + 1}`),
  )
  t.same(
    plan.tasks.map((task) => task.id),
    ids,
  )
  t.equal(plan.taskCount, 33)
})

t.test('a task title is its text up to the first full stop', async (t) => {
  const fair = plan.tasks.find((task) => task.id === '三.(二).7')
  t.match(fair?.title, /^加强展会知识产权保护,以新国际博览中心和世博展览馆为重点,/)
  t.notMatch(fair?.title, /。/)
  t.equal(
    plan.tasks.find((task) => task.id === '三.(一).4')?.title.startsWith('明确知识产权执法权力清单'),
    true,
  )
})

t.test('the example plan names no responsible bureaus, so no task has any', async (t) => {
  t.same(
    plan.tasks.filter((task) => task.leads.length > 0 || task.partners.length > 0),
    [],
  )
})

t.test('the example plan has the three safeguards of its 保障措施 section', async (t) => {
  t.same(plan.safeguards, ['工作机制保障', '财政资金保障', '加强考核监督'])
})

t.test('the parsed plan keeps the documented JSON key order', async (t) => {
  t.same(Object.keys(plan), [
    'title',
    'docNumber',
    'issuer',
    'issueDate',
    'period',
    'sections',
    'targets',
    'tasks',
    'taskCount',
    'safeguards',
  ])
  t.same(Object.keys(plan.targets[0] ?? {}), ['text', 'metric', 'value', 'unit', 'deadline'])
  t.same(Object.keys(plan.tasks[0] ?? {}), ['id', 'title', 'leads', 'partners'])
})
