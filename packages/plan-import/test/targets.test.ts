import t from 'tap'
import { parsePlan, type PlanTarget } from '../src/index.ts'

// Quantitative goals: which figures count, and their metric, value, unit and deadline.

const targets = (...goals: string[]): PlanTarget[] =>
  parsePlan(['浦东新区专利工作方案', ...goals, '三、重点任务', '1.新增专利示范企业20家。'].join('\n')).targets
const brief = (found: PlanTarget[]) => found.map(({ value, unit, deadline }) => ({ value, unit, deadline }))

t.test('only figures in the goals part are targets, not those in tasks', async (t) => {
  const found = targets('一、工作目标', '到2025年，每万人口高价值发明专利拥有量达到30件。')
  t.same(found, [
    {
      text: '每万人口高价值发明专利拥有量达到30件',
      metric: '每万人口高价值发明专利拥有量',
      value: 30,
      unit: '件',
      deadline: '2025',
    },
  ])
})

t.test('the value is the number as printed and the unit what follows it, qualifiers aside', async (t) => {
  const found = targets(
    '一、发展目标',
    '到2025年，专利授权量突破1.8万件，技术合同成交额累计达到1,200亿元以上，服务机构达到300余家，满意度保持在90%左右。',
  )
  t.same(brief(found), [
    { value: 1.8, unit: '万件', deadline: '2025' },
    { value: 1200, unit: '亿元', deadline: '2025' },
    { value: 300, unit: '家', deadline: '2025' },
    { value: 90, unit: '%', deadline: '2025' },
  ])
  t.same(
    found.map((target) => target.metric),
    ['专利授权量', '技术合同成交额', '服务机构', '满意度'],
  )
})

t.test('baselines are not targets', async (t) => {
  const found = targets(
    '一、主要目标',
    '到2025年，知识产权纠纷调解成功率从2020年的60%提高到80%。',
    '专利质押融资额比2020年增长1倍。',
    '商标注册量达到20万件（2020年为12万件）。',
  )
  t.same(brief(found), [
    { value: 80, unit: '%', deadline: '2025' },
    { value: 1, unit: '倍', deadline: '2025' },
    { value: 20, unit: '万件', deadline: '2025' },
  ])
  t.equal(found[0]?.metric, '知识产权纠纷调解成功率')
})

t.test('the deadline stated in the sentence wins over the lead-in', async (t) => {
  const found = targets(
    '一、工作目标',
    '到2025年，实现以下目标：',
    '1.2023年底前，建成维权分中心3个。',
    '2.示范企业达到50家。',
  )
  t.same(brief(found), [
    { value: 3, unit: '个', deadline: '2023' },
    { value: 50, unit: '家', deadline: '2025' },
  ])
  t.equal(found[0]?.metric, '维权分中心', 'a leading verb is not part of the metric')
})

t.test("a target takes the year of its sub-section's lead-in", async (t) => {
  const found = targets(
    '一、总体要求',
    '（一）指导思想',
    '坚持创新驱动。',
    '（二）主要目标',
    '到2024年，力争实现：',
    '1.有效注册商标总量达到30万件。',
  )
  t.same(brief(found), [{ value: 30, unit: '万件', deadline: '2024' }])
})

t.test('a target with no year stated anywhere has a null deadline', async (t) => {
  t.same(brief(targets('一、工作目标', '专利代理机构数量达到100家。')), [
    { value: 100, unit: '家', deadline: null },
  ])
})

t.test('targets listed in one clause are split at 、', async (t) => {
  const found = targets('一、工作目标', '至2023年，培育示范企业10家、优势企业50家。')
  t.same(
    found.map(({ text, metric }) => ({ text, metric })),
    [
      { text: '培育示范企业10家', metric: '示范企业' },
      { text: '优势企业50家', metric: '优势企业' },
    ],
  )
})

t.test('a metric named after the figure is read from after the unit', async (t) => {
  const [target] = targets('一、工作目标', '到2023年，建成10个以上知识产权工作站。')
  t.equal(target?.metric, '知识产权工作站')
  t.equal(target?.unit, '个')
})

t.test('per-capita denominators, ordinals, years and durations are not figures', async (t) => {
  const found = targets(
    '一、工作目标',
    '通过3年努力，到2025年，每万人口发明专利拥有量达到60件，第3批示范园区全部建成。',
  )
  t.same(brief(found), [{ value: 60, unit: '件', deadline: '2025' }])
})
