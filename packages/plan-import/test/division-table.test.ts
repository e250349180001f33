import t from 'tap'
import { detectKind, parsePlan } from '../src/index.ts'

// Task-division tables flattened to text: a | b | c rows, tab rows, or one cell per line.

const read = (...lines: string[]) => parsePlan(lines.join('\n'))
const summary = (...lines: string[]) =>
  read(...lines).tasks.map(({ id, title, leads, partners }) => ({ id, title, leads, partners }))

t.test('a framed markdown table is read, its rule row skipped', async (t) => {
  const found = summary(
    '2024年知识产权重点任务分工',
    '| 序号 | 重点任务 | 牵头单位 | 配合单位 |',
    '|---|---|:---:|---|',
    '| 1 | 建设专利导航服务基地。 | 区知识产权局 | 区科经委 |',
    '| 2 | 开展专利转化专项行动。 |  | 区财政局 |',
  )
  t.same(found, [
    { id: '1', title: '建设专利导航服务基地', leads: ['区知识产权局'], partners: ['区科经委'] },
    { id: '2', title: '开展专利转化专项行动', leads: ['区知识产权局'], partners: ['区财政局'] },
  ])
})

t.test('an empty cell, 〃 or 同上 means the same as the cell above', async (t) => {
  const found = summary(
    '重点任务分工表',
    '序号 | 工作任务 | 牵头部门 | 协同部门',
    '1 | 甲任务 | 区知识产权局 | 区科经委、区财政局',
    '2 | 乙任务 | 同上 | ',
    '3 | 丙任务 | 〃 | 区商务委',
  )
  t.same(
    found.map(({ leads, partners }) => ({ leads, partners })),
    [
      { leads: ['区知识产权局'], partners: ['区科经委', '区财政局'] },
      { leads: ['区知识产权局'], partners: ['区科经委', '区财政局'] },
      { leads: ['区知识产权局'], partners: ['区商务委'] },
    ],
  )
})

t.test('无 or a dash in a unit cell means nobody', async (t) => {
  const found = summary(
    '重点任务分工表',
    '序号 | 工作任务 | 牵头单位 | 配合单位',
    '1 | 甲任务 | 区知识产权局 | 无',
    '2 | 乙任务 | 区科经委 | —',
  )
  t.same(
    found.map((task) => task.partners),
    [[], []],
  )
})

t.test('a row with neither number nor task adds its units to the row above', async (t) => {
  const found = summary(
    '重点任务分工表',
    '序号 | 重点任务 | 牵头单位 | 配合单位',
    '1 | 开展专项行动。 | 区市场监管局 | 区公安分局',
    ' |  |  | 各街镇',
  )
  t.same(found, [
    { id: '1', title: '开展专项行动', leads: ['区市场监管局'], partners: ['区公安分局', '各街镇'] },
  ])
})

t.test('group rows give the front of the ids and the sections', async (t) => {
  const plan = read(
    '重点任务分工',
    '序号 | 重点任务 | 责任单位',
    '一、强化创造 | |',
    '（一）专利 | |',
    '1 | 甲任务 | 区知识产权局（牵头）、区科经委',
    '二、加强保护',
    '2 | 乙任务 | 区市场监管局',
  )
  t.same(
    plan.tasks.map((task) => task.id),
    ['一.(一).1', '二.2'],
  )
  t.same(plan.tasks[0]?.leads, ['区知识产权局'])
  t.same(plan.sections, [
    { ordinal: '一', title: '强化创造' },
    { ordinal: '二', title: '加强保护' },
  ])
})

t.test('a table right under a heading continues that heading’s numbering', async (t) => {
  const plan = read(
    '浦东新区知识产权工作方案',
    '一、指导思想',
    '坚持创新驱动。',
    '二、重点任务',
    '序号\t任务内容\t牵头单位',
    '1\t建设服务平台\t区知识产权局',
    '2\t开展宣传活动\t区委宣传部',
  )
  t.same(
    plan.tasks.map(({ id, leads }) => ({ id, leads })),
    [
      { id: '二.1', leads: ['区知识产权局'] },
      { id: '二.2', leads: ['区委宣传部'] },
    ],
  )
})

t.test('a table with one cell per line is read, blank lines being empty cells', async (t) => {
  const found = summary(
    '年度任务分解表',
    '序号',
    '工作任务',
    '牵头单位',
    '配合单位',
    '1',
    '建设工作站',
    '区知识产权局',
    '各街镇',
    '2',
    '开展培训',
    '',
    '区人力资源和社会保障局',
  )
  t.same(found, [
    { id: '1', title: '建设工作站', leads: ['区知识产权局'], partners: ['各街镇'] },
    { id: '2', title: '开展培训', leads: ['区知识产权局'], partners: ['区人力资源和社会保障局'] },
  ])
})

t.test('an appendix table gives units to the outline tasks it names, matched by title', async (t) => {
  const found = summary(
    '浦东新区商标工作方案',
    '一、重点工作',
    '1.实施商标品牌培育工程，建立培育库。',
    '2.加强商标品牌保护。',
    '附件：分工表',
    '序号 | 重点工作 | 牵头单位 | 配合单位',
    '1 | 加强商标品牌保护 | 区市场监管局 | 区公安分局',
  )
  t.same(found, [
    { id: '一.1', title: '实施商标品牌培育工程，建立培育库', leads: [], partners: [] },
    { id: '一.2', title: '加强商标品牌保护', leads: ['区市场监管局'], partners: ['区公安分局'] },
  ])
})

t.test('an appendix table with one row per task is matched by position', async (t) => {
  const found = summary(
    '浦东新区商标工作方案',
    '一、重点工作',
    '1.实施商标品牌培育工程。',
    '2.加强商标品牌保护。',
    '附件',
    '序号 | 任务 | 牵头单位',
    '1 | 品牌培育 | 区市场监管局',
    '2 | 品牌保护 | 区公安分局',
  )
  t.same(
    found.map((task) => task.leads),
    [['区市场监管局'], ['区公安分局']],
  )
})

t.test('a document made of a division table is a task-division document', async (t) => {
  t.equal(detectKind('年度工作安排\n序号 | 重点任务 | 牵头单位\n1 | 甲任务 | 区科委'), 'task-division')
  t.equal(detectKind('2023年重点任务分工\n一、重点任务\n1.甲任务（牵头单位：区科委）'), 'task-division')
})

t.test(
  'a heading right after a table is the next part of the document, not a group of the table',
  async (t) => {
    const plan = read(
      '浦东新区知识产权工作方案',
      '一、重点任务',
      '序号 | 重点任务 | 牵头单位',
      '1 | 建设服务平台 | 区科委',
      '二、保障措施',
      '（一）加强组织领导。',
    )
    t.same(
      plan.tasks.map((task) => task.id),
      ['一.1'],
    )
    t.same(
      plan.sections.map((section) => section.title),
      ['重点任务', '保障措施'],
    )
    t.same(plan.safeguards, ['加强组织领导'])
  },
)
