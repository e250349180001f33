import t from 'tap'
import { parsePlan } from '../src/index.ts'

// Title, doc number, issuer, date and period, each as real documents print them.

const TASKS = ['一、重点任务', '1.建立知识产权快速维权机制。']
const read = (...lines: string[]) => parsePlan([...lines, ...TASKS].join('\n'))

t.test('the title is the plan named by the notice, as printed on its own title line', async (t) => {
  const plan = read(
    '上海市浦东新区人民政府关于印发《浦东新区专利提升行动计划(2022—2025年)》的通知',
    '现将《浦东新区专利提升行动计划(2022—2025年)》印发给你们。',
    '浦东新区专利提升行动计划（2022-2025年）',
  )
  t.equal(
    plan.title,
    '浦东新区专利提升行动计划（2022-2025年）',
    'the plan line wins over the notice spelling',
  )
  t.equal(plan.period, '2022-2025')
})

t.test('without a plan title line the title is the name inside the notice', async (t) => {
  const plan = read('浦东新区人民政府办公室关于转发《浦东新区商标工作要点》的通知', '请遵照执行。')
  t.equal(plan.title, '浦东新区商标工作要点')
  t.equal(plan.issuer, '浦东新区人民政府办公室', 'an unsigned notice is issued by the body its title names')
})

t.test('a notice cited in the text is not the notice issuing the plan', async (t) => {
  const plan = read(
    '浦东新区专利导航实施方案',
    '根据市政府办公厅关于印发上海市专利工作要点的通知精神，制定本方案。',
  )
  t.equal(plan.title, '浦东新区专利导航实施方案')
})

t.test('a notice title wrapped over two lines is still recognised', async (t) => {
  const plan = read(
    '浦东新区知识产权局关于印发《浦东新区知识产权',
    '公共服务体系建设实施方案》的通知',
    '浦东新区知识产权公共服务体系建设实施方案',
  )
  t.equal(plan.title, '浦东新区知识产权公共服务体系建设实施方案')
})

t.test(
  'without a notice the title is the first line past portal metadata, wrapped lines joined',
  async (t) => {
    const plan = read(
      '索引号 SY002',
      '发布机构 区知识产权局',
      '',
      '浦东新区知识产权联席会议',
      '2023年第二次会议纪要',
    )
    t.equal(plan.title, '浦东新区知识产权联席会议2023年第二次会议纪要')
    t.equal(plan.period, '2023')
  },
)

t.test('a doc number is printed without the spaces some sources put inside it', async (t) => {
  t.equal(read('浦东新区商标工作方案', '浦府 〔2017〕 94 号').docNumber, '浦府〔2017〕94号')
  t.equal(read('浦东新区商标工作方案', '文件编号：沪知局〔2020〕5号').docNumber, '沪知局〔2020〕5号')
  t.equal(read('浦东新区商标工作方案', '浦府办[2021]3号').docNumber, '浦府办[2021]3号', 'brackets as printed')
  t.equal(
    read('文件编号 浦府〔2017〕94号 发布机构 区政府办公室', '浦东新区商标工作方案').docNumber,
    '浦府〔2017〕94号',
  )
})

t.test('a doc number glued to either end of the title line is split from the title', async (t) => {
  const after = read('浦东新区商标品牌工作方案（2021-2023年）浦府办〔2021〕12号')
  t.equal(after.title, '浦东新区商标品牌工作方案（2021-2023年）')
  t.equal(after.docNumber, '浦府办〔2021〕12号')
  const before = read('浦知局〔2022〕8号浦东新区专利导航实施方案')
  t.equal(before.title, '浦东新区专利导航实施方案')
  t.equal(before.docNumber, '浦知局〔2022〕8号')
  const notice = read(
    '浦府〔2019〕7号浦东新区人民政府关于印发《浦东新区版权工作方案》的通知',
    '浦东新区版权工作方案',
  )
  t.equal(notice.docNumber, '浦府〔2019〕7号', 'also when glued to the notice line')
})

t.test('doc numbers cited inside the text are not the document number', async (t) => {
  const plan = read(
    '浦东新区商标工作方案',
    '根据《国务院关于新形势下加快知识产权强国建设的若干意见》（国发〔2015〕71号），制定本方案。',
  )
  t.equal(plan.docNumber, null)
})

t.test('the issue date is the signature date, with spaces or in Chinese numerals', async (t) => {
  const spaced = read('浦东新区商标工作方案', '浦东新区知识产权局', '2021年 3 月 5 日')
  t.equal(spaced.issueDate, '2021-03-05')
  t.equal(spaced.issuer, '浦东新区知识产权局')
  t.equal(read('浦东新区商标工作方案', '浦东新区人民政府', '二〇一七年五月二十二日').issueDate, '2017-05-22')
  t.equal(read('浦东新区商标工作方案', '浦东新区人民政府', '二○二三年十二月三十一日').issueDate, '2023-12-31')
  t.equal(read('浦东新区商标工作方案', '浦东新区人民政府', '２０２２年１月５日').issueDate, '2022-01-05')
})

t.test('dates in sentences and portal publication times are not the signature date', async (t) => {
  const plan = read(
    '发布时间 2017-07-30',
    '浦东新区商标工作方案',
    '2021年3月5日，区政府召开常务会议审议本方案。',
  )
  t.equal(plan.issueDate, null)
  t.equal(plan.issuer, null)
})

t.test('joint issuers are joined with 、, whether side by side or stacked', async (t) => {
  const side = read(
    '浦东新区商标工作方案',
    '上海市浦东新区科学技术委员会　　　上海市浦东新区财政局',
    '2021年3月5日',
  )
  t.equal(side.issuer, '上海市浦东新区科学技术委员会、上海市浦东新区财政局')
  const stacked = read(
    '浦东新区商标工作方案',
    '浦东新区知识产权局',
    '',
    '浦东新区市场监督管理局',
    '2021年3月5日',
  )
  t.equal(stacked.issuer, '浦东新区知识产权局、浦东新区市场监督管理局')
  const spaced = read('浦东新区商标工作方案', '上 海 市 浦 东 新 区 人 民 政 府', '2021年3月5日')
  t.equal(spaced.issuer, '上海市浦东新区人民政府', 'letter-spaced names close up')
})

t.test('an issuer and date on one line (a minutes masthead) are both read', async (t) => {
  const plan = read('浦东新区知识产权联席会议纪要', '浦东新区知识产权联席会议办公室      2023年3月10日')
  t.equal(plan.issuer, '浦东新区知识产权联席会议办公室')
  t.equal(plan.issueDate, '2023-03-10')
})

t.test('the period comes from the title in each printed form', async (t) => {
  const period = (title: string) => read(title).period
  t.equal(period('浦东新区培育工作方案(2017-2019)'), '2017-2019')
  t.equal(period('浦东新区行动计划（2022—2025年）'), '2022-2025')
  t.equal(period('浦东新区行动计划（2022——2025年）'), '2022-2025')
  t.equal(period('浦东新区2021年-2023年专利工作计划'), '2021-2023')
  t.equal(period('浦东新区专利行动计划（2022～2025年）'), '2022-2025')
  t.equal(period('2023年浦东新区知识产权工作要点'), '2023')
  t.equal(period('浦东新区“十四五”知识产权规划'), null)
})
