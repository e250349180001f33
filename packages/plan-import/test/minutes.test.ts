import t from 'tap'
import { detectKind, parsePlan } from '../src/index.ts'

// Joint-meeting minutes: the numbered decisions (议定事项) are the tasks.

const read = (...lines: string[]) => parsePlan(lines.join('\n'))

t.test('decisions announced by a sentence are the numbered items after it', async (t) => {
  const plan = read(
    '浦东新区知识产权联席会议纪要',
    '会议听取了区知识产权局的工作汇报。经研究，会议议定以下事项：',
    '一、同意设立知识产权保护服务站，由区商务委牵头，区市场监管局配合。',
    '二、关于风险补偿资金，区财政局会同区金融工作局研究提出方案。',
  )
  t.same(plan.tasks, [
    { id: '一', title: '同意设立知识产权保护服务站', leads: ['区商务委'], partners: ['区市场监管局'] },
    { id: '二', title: '关于风险补偿资金', leads: [], partners: ['区财政局', '区金融工作局'] },
  ])
  t.same(plan.targets, [])
  t.same(plan.safeguards, [])
})

t.test('decisions under a 议定事项 heading are its items, other parts are not', async (t) => {
  const plan = read(
    '区知识产权联席会议纪要',
    '一、会议听取的情况',
    '1.听取了区知识产权局汇报。',
    '二、会议议定事项',
    '（一）关于执法衔接。由区知识产权局牵头。',
    '（二）关于档案移交。区市场监管局负责。',
  )
  t.same(
    plan.tasks.map((task) => task.id),
    ['二.(一)', '二.(二)'],
  )
})

t.test('minutes that announce nothing take every numbered item as a decision', async (t) => {
  const plan = read('知识产权专题会议纪要', '1.会议同意调整成员单位。', '2.会议要求各单位按时报送材料。')
  t.same(
    plan.tasks.map((task) => task.title),
    ['会议同意调整成员单位', '会议要求各单位按时报送材料'],
  )
})

t.test('the attendance list after the last decision is not a responsible unit', async (t) => {
  const plan = read(
    '知识产权专题会议纪要',
    '会议议定：',
    '一、编制年度工作要点。',
    '出席：区知识产权局、区市场监管局',
    '列席：区财政局',
  )
  t.same(plan.tasks, [{ id: '一', title: '编制年度工作要点', leads: [], partners: [] }])
})

t.test(
  'minutes are told apart from plans by their title or by decisions in a meeting document',
  async (t) => {
    t.equal(detectKind('浦东新区知识产权联席会议纪要\n一、议定事项\n1.甲。'), 'minutes')
    t.equal(detectKind('关于知识产权联席会议议定事项的通报\n一、甲。'), 'minutes')
    t.equal(detectKind('知识产权联席会议第三次会议\n会议议定如下：\n一、甲。'), 'minutes')
    t.equal(detectKind('浦东新区知识产权工作方案\n一、重点工作\n1.甲。'), 'plan')
    t.equal(
      detectKind('知识产权联席会议制度工作方案\n经研究决定如下：\n一、甲。'),
      'plan',
      'a plan about meetings',
    )
    t.equal(detectKind(''), 'plan', 'an empty text is not anything else either')
  },
)
