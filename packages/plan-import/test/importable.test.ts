import { readdirSync, readFileSync } from 'node:fs'
import fc from 'fast-check'
import t from 'tap'
import { parsePlan, PlanImportError, type ParsedPlan } from '../src/index.ts'
import { refusal } from './refusal.ts'

// What parsePlan returns, the planning service imports whole; what it could not import is refused
// here with a code and the line, before anything is published. The defects below are one-line edits
// of the example plan.

const example = readFileSync(
  new URL('../examples/pudong-ip-demo-city-plan-2017-2019.txt', import.meta.url),
  'utf8',
)
const original = parsePlan(example)

function edited(from: RegExp, to: string): string {
  const text = example.replace(from, to)
  if (text === example) throw new Error(`${String(from)} does not occur in the example`)
  return text
}

/** The planning service's checks of an imported plan, as the problems they would find. */
function problems(plan: ParsedPlan): string[] {
  const found: string[] = []
  const blank = (value: unknown): boolean => typeof value !== 'string' || value.trim() === ''
  const isDay = (value: string): boolean => {
    const time = Date.parse(`${value}T00:00:00Z`)
    return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === value
  }
  if (blank(plan.title)) found.push('title')
  if (plan.docNumber !== null && blank(plan.docNumber)) found.push('docNumber')
  if (plan.issuer !== null && blank(plan.issuer)) found.push('issuer')
  if (plan.issueDate !== null && !isDay(plan.issueDate)) found.push(`issueDate ${plan.issueDate}`)
  if (plan.period !== null) {
    const [from = '', to = from] = plan.period.split('-')
    if (!/^\d{4}$/.test(from) || !/^\d{4}$/.test(to) || from > to) found.push(`period ${plan.period}`)
  }
  plan.sections.forEach((s, i) => (blank(s.ordinal) || blank(s.title) ? found.push(`sections[${i}]`) : 0))
  plan.safeguards.forEach((s, i) => (blank(s) ? found.push(`safeguards[${i}]`) : 0))
  plan.targets.forEach((target, i) => {
    if (blank(target.metric) || blank(target.text) || blank(target.unit)) found.push(`targets[${i}] text`)
    if (!Number.isFinite(target.value)) found.push(`targets[${i}].value`)
    if (target.deadline !== null && !/^\d{4}$/.test(target.deadline)) found.push(`targets[${i}].deadline`)
    const earlier = plan.targets.slice(0, i)
    if (earlier.some((e) => e.metric === target.metric && e.deadline === target.deadline)) {
      found.push(`targets[${i}] repeats ${target.metric}`)
    }
  })
  const ids = new Set<string>()
  for (const task of plan.tasks) {
    if (blank(task.id) || blank(task.title)) found.push(`task ${task.id}: blank`)
    if (ids.has(task.id)) found.push(`task ${task.id}: twice`)
    ids.add(task.id)
    const bureaus = [...task.leads, ...task.partners.filter((p) => !task.leads.includes(p))]
    if (bureaus.some(blank) || new Set(bureaus).size !== bureaus.length)
      found.push(`task ${task.id}: bureaus`)
  }
  return found
}

t.test('the example plan itself passes every check of the planning service', async (t) => {
  t.same(problems(original), [])
  t.equal(original.taskCount, 33)
  t.equal(original.targets.length, 3)
})

t.test('two tasks numbered alike are refused, naming the number and both lines', async (t) => {
  const error = refusal(edited(/^2\.在企业知识产权/m, '1.在企业知识产权'))
  t.equal(error.code, 'DUPLICATE_TASK_ID')
  t.equal(error.status, 422)
  t.equal(error.line, 72)
  t.match(error.message, /^line 72: task number 三\.\(一\)\.1 is given to 2 items, on lines 70 and 72/)
})

t.test('a number given to three items names all three lines', async (t) => {
  const text = ['浦东新区工作方案', '一、重点任务', '1.甲。', '1.乙。', '2.丙。', '1.丁。'].join('\n')
  const error = refusal(text)
  t.equal(error.code, 'DUPLICATE_TASK_ID')
  t.match(error.message, /task number 一\.1 is given to 3 items, on lines 3, 4 and 6/)
})

t.test('rows of a task-division table numbered alike are refused too', async (t) => {
  const text = [
    '浦东新区重点任务分工',
    '序号 | 重点任务 | 牵头单位',
    '1 | 甲 | 区科委',
    '1 | 乙 | 区商务委',
  ].join('\n')
  const error = refusal(text)
  t.equal(error.code, 'DUPLICATE_TASK_ID')
  t.match(error.message, /on lines 3 and 4/)
})

t.test('a number standing alone on its line takes its title from the line below', async (t) => {
  const plan = parsePlan(edited(/^1\.推动设立/m, '1.\n推动设立'))
  t.same(problems(plan), [])
  t.equal(plan.taskCount, 33)
  t.same(plan.tasks, original.tasks)
})

t.test('below a bare number, a line naming only who is responsible is not the title', async (t) => {
  const plan = parsePlan(
    ['浦东新区工作方案', '一、重点任务', '1.', '牵头单位：区科委', '推动设立保护中心。', '2.完善机制。'].join(
      '\n',
    ),
  )
  t.same(plan.tasks[0], { id: '一.1', title: '推动设立保护中心', leads: ['区科委'], partners: [] })
})

t.test('part and safeguard headings standing alone take their title from the line below', async (t) => {
  const plan = parsePlan(
    [
      '浦东新区工作方案',
      '一、',
      '重点任务',
      '1.甲。',
      '二、保障措施',
      '（一）',
      '加强组织领导',
      '统筹推进。',
    ].join('\n'),
  )
  t.same(plan.sections, [
    { ordinal: '一', title: '重点任务' },
    { ordinal: '二', title: '保障措施' },
  ])
  t.same(plan.safeguards, ['加强组织领导'])
})

t.test('an item with nothing but its number is refused, never given an empty title', async (t) => {
  const task = refusal(
    ['浦东新区工作方案', '一、重点任务', '1.甲。', '2.', '（牵头单位：区科委）', '3.丙。'].join('\n'),
  )
  t.equal(task.code, 'UNTITLED_ITEM')
  t.equal(task.line, 4)
  t.match(task.message, /^line 4: item 一\.2 has no text/)
  const part = refusal(['浦东新区工作方案', '一、', '（一）甲。', '二、重点任务', '1.乙。'].join('\n'))
  t.equal(part.code, 'UNTITLED_ITEM')
  t.equal(part.line, 2)
  const row = refusal(['浦东新区重点任务分工', '序号 | 重点任务 | 牵头单位', '1 | 1、 | 区科委'].join('\n'))
  t.equal(row.code, 'UNTITLED_ITEM')
  t.equal(row.line, 3)
})

t.test('a growth rate after a target, for the same year, stays in that target and adds none', async (t) => {
  const plan = parsePlan(edited(/1\.8万件/, '1.8万件,年均增长10%'))
  t.same(problems(plan), [])
  t.same(plan.targets.slice(0, 2), original.targets.slice(0, 2))
  t.same(plan.targets[2], {
    ...original.targets[2],
    text: '软件著作权新增登记量达到1.8万件,年均增长10%',
  })
})

t.test('a 比… baseline is never a metric', async (t) => {
  const plan = parsePlan(
    edited(/软件著作权新增登记量达到1\.8万件/, '软件著作权新增登记量达到10000件,比2016年增长20%'),
  )
  t.same(problems(plan), [])
  t.same(plan.targets[2], {
    text: '软件著作权新增登记量达到10000件,比2016年增长20%',
    metric: '软件著作权新增登记量',
    value: 10000,
    unit: '件',
    deadline: '2019',
  })
  t.equal(plan.targets.length, 3)
})

const goals = (...sentences: string[]) =>
  parsePlan(['浦东新区专利工作方案', '一、工作目标', ...sentences, '二、重点任务', '1.甲。'].join('\n'))
    .targets

t.test(
  'a figure with no indicator of its own, for another year, is a milestone of the one before',
  async (t) => {
    const found = goals('专利申请量2018年达到1万件，2019年达到1.2万件。')
    t.same(
      found.map(({ metric, value, deadline }) => ({ metric, value, deadline })),
      [
        { metric: '专利申请量', value: 1, deadline: '2018' },
        { metric: '专利申请量', value: 1.2, deadline: '2019' },
      ],
    )
  },
)

t.test('a figure that names no indicator and follows no target is not a target', async (t) => {
  t.same(goals('到2019年，比2016年增长20%。'), [])
})

t.test('a target stated twice alike is kept once; two figures for one year are refused', async (t) => {
  const twice = goals('到2019年，专利申请量达到1万件。', '（一）具体目标', '到2019年，专利申请量达到1万件。')
  t.equal(twice.length, 1)
  const error = refusal(
    [
      '浦东新区专利工作方案',
      '一、工作目标',
      '到2019年，专利申请量达到1万件。',
      '到2019年，专利申请量达到2万件。',
      '二、重点任务',
      '1.甲。',
    ].join('\n'),
  )
  t.equal(error.code, 'CONFLICTING_TARGETS')
  t.equal(error.line, 4)
  t.match(error.message, /专利申请量 has two targets for 2019: 1万件 on line 3 and 2万件 on line 4/)
})

t.test('a space between thousands is part of the number', async (t) => {
  const plan = parsePlan(edited(/达到48件/, '达到1 000件'))
  t.same(plan.targets[0], {
    text: '每万人口发明专利拥有量达到1 000件',
    metric: '每万人口发明专利拥有量',
    value: 1000,
    unit: '件',
    deadline: '2019',
  })
  t.same(
    goals('到2025年，技术合同达到12\u2009500项，服务机构达到10,200家。').map((target) => target.value),
    [12500, 10200],
  )
})

t.test('digits split by a space that is no thousands group give no figure', async (t) => {
  t.same(goals('到2025年，专利申请量达到1 00件。'), [])
})

t.test('a document with no title line is refused rather than imported nameless', async (t) => {
  const error = refusal('一、重点任务\n1.甲。')
  t.equal(error.code, 'NO_TITLE')
  t.equal(error.line, 1)
})

t.test('a reversed year range is no period, and a day that does not exist no date', async (t) => {
  const plan = parsePlan(
    ['浦东新区工作方案(2019-2017)', '一、重点任务', '1.甲。', '上海市浦东新区人民政府', '2017年2月30日'].join(
      '\n',
    ),
  )
  t.equal(plan.period, null)
  t.equal(plan.issueDate, null)
})

const fixtures = new URL('./fixtures/', import.meta.url)
const lines = [
  ...example.split('\n'),
  ...readdirSync(fixtures)
    .filter((name) => !name.includes('gbk'))
    .flatMap((name) => readFileSync(new URL(name, fixtures), 'utf8').split('\n')),
]

t.test('any selection of lines from real documents is refused or passes the service checks', async (t) => {
  const documents = fc
    .array(fc.constantFrom(...lines, '1.', '一、', '（一）', '2.', '年均增长10%。'), { maxLength: 60 })
    .map((picked) => picked.join('\n'))
  fc.assert(
    fc.property(documents, (text) => {
      try {
        return problems(parsePlan(text)).length === 0
      } catch (error) {
        if (error instanceof PlanImportError) return true
        throw error
      }
    }),
    { numRuns: 300 },
  )
  t.pass()
})
