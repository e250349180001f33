import t from 'tap'
import { parsePlan } from '../src/index.ts'

// Which items are tasks, and how they are numbered and named.

const read = (...lines: string[]) => parsePlan(['浦东新区知识产权工作方案', ...lines].join('\n'))
const ids = (...lines: string[]) => read(...lines).tasks.map((task) => task.id)

t.test('tasks are the leaf items of the key-work part, with ASCII-bracket ids', async (t) => {
  const found = ids(
    '一、指导思想',
    '以创新驱动发展为导向。',
    '二、重点任务',
    '（一）深化改革',
    '1．推动设立保护中心。',
    '2．完善执法机制。',
    '（二）加强保护',
    '1.加强展会保护。',
    '三、保障措施',
    '（一）加强组织领导。',
  )
  t.same(found, ['二.(一).1', '二.(一).2', '二.(二).1'])
})

t.test('a （一）-level item with no numbered items under it is itself a task', async (t) => {
  t.same(ids('三、主要任务', '（一）深化改革', '1.推动改革。', '（二）加强宣传教育。每年组织宣传周活动。'), [
    '三.(一).1',
    '三.(二)',
  ])
})

t.test('inline points (1)(2) and ① inside an item are not tasks', async (t) => {
  const found = ids(
    '一、重点工作',
    '1.开展专项整治：',
    '（1）商标侵权整治；',
    '(2)专利侵权整治；',
    '①版权整治。',
    '2.完善机制。',
  )
  t.same(found, ['一.1', '一.2'])
})

t.test('item numbers that run on across sub-sections keep their printed numbers', async (t) => {
  const found = ids('一、重点任务', '（一）创造', '1.甲。', '2.乙。', '（二）保护', '3.丙。', '4.丁。')
  t.same(found, ['一.(一).1', '一.(一).2', '一.(二).3', '一.(二).4'])
})

t.test('half-width and full-width numbering are read alike', async (t) => {
  t.same(ids('一．重点工作', '(一)改革', '1、甲。', '（二）保护', '１．乙。'), ['一.(一).1', '一.(二).1'])
})

t.test('a line starting with a decimal figure is not an item', async (t) => {
  const plan = read('一、重点工作', '1.扩大登记规模。', '1.8万件以上的登记量将逐年增加。', '2.完善服务。')
  t.same(
    plan.tasks.map((task) => task.id),
    ['一.1', '一.2'],
  )
})

t.test('the key-work part may be called 重点工作, 重点任务, 主要任务 or 主要举措', async (t) => {
  for (const name of ['重点工作', '重点任务', '主要任务', '主要举措', '工作任务和责任分工']) {
    t.same(ids('一、工作目标', '1.提升能力。', `二、${name}`, '1.建立机制。'), ['二.1'], name)
  }
})

t.test('without a key-work heading, every part but preamble and safeguards holds tasks', async (t) => {
  const found = ids(
    '一、总体要求',
    '坚持问题导向。',
    '二、强化知识产权创造',
    '1.实施专利培育计划。',
    '三、加强知识产权保护（牵头单位：区市场监管局）',
    '四、保障措施',
    '1.加强组织领导。',
  )
  t.same(found, ['二.1', '三'], 'a bare part counts when it names who does it')
})

t.test('a title is the text after the number up to the first 。', async (t) => {
  const [task] = read('一、重点工作', '1.健全执法协作机制，建立线索移送制度。每年开展联合执法4次。').tasks
  t.equal(task?.title, '健全执法协作机制，建立线索移送制度')
})

t.test('responsibility notes are not part of a title', async (t) => {
  const titles = read(
    '一、重点工作',
    '1.建立快速维权机制（牵头单位：区市场监管局；配合单位：区知识产权局）。',
    '2.完善纠纷调解机制，由区司法局牵头，区知识产权局配合。',
    '3.编制白皮书，区知识产权局负责',
    '4.开展宣传周活动（区委宣传部、区教育局）',
  ).tasks.map((task) => task.title)
  t.same(titles, ['建立快速维权机制', '完善纠纷调解机制', '编制白皮书', '开展宣传周活动'])
})

t.test('sections are the top-level headings, without an appendix after them', async (t) => {
  const plan = read('一、总体要求：', '二、重点工作', '1.建立机制。', '附件：', '一、分工说明')
  t.same(plan.sections, [
    { ordinal: '一', title: '总体要求' },
    { ordinal: '二', title: '重点工作' },
  ])
})

t.test('safeguards are the sub-headings of the safeguards part, or its items', async (t) => {
  const headed = read(
    '一、重点工作',
    '1.甲。',
    '二、保障措施',
    '（一）加强组织领导。成立领导小组。',
    '（二）强化经费保障',
  )
  t.same(headed.safeguards, ['加强组织领导', '强化经费保障'])
  const itemised = read('一、重点工作', '1.甲。', '二、组织实施', '1.明确责任分工。', '2.加强督查考核。')
  t.same(itemised.safeguards, ['明确责任分工', '加强督查考核'])
  t.same(read('一、重点工作', '1.甲。').safeguards, [])
})
