import t from 'tap'
import { parsePlan } from '../src/index.ts'

// Who leads a task and who takes part, however the document says it.

const units = (...lines: string[]) => {
  const plan = parsePlan(['浦东新区知识产权工作方案', '一、重点任务', ...lines].join('\n'))
  return plan.tasks.map(({ leads, partners }) => ({ leads, partners }))
}

t.test('牵头单位 and 配合单位 lines under a task name its lead and partners', async (t) => {
  t.same(units('1.建立维权机制。', '牵头单位：区市场监管局', '配合单位：区知识产权局、区公安分局、各街镇'), [
    { leads: ['区市场监管局'], partners: ['区知识产权局', '区公安分局', '各街镇'] },
  ])
})

t.test('labels in brackets after the task text are read, with either colon', async (t) => {
  t.same(units('1.建立维权机制（牵头单位:区司法局；配合单位：区市场监管局、区人民法院）。'), [
    { leads: ['区司法局'], partners: ['区市场监管局', '区人民法院'] },
  ])
})

t.test('a unit marked （牵头） in a list leads and the others take part', async (t) => {
  t.same(units('1.建立技术调查官制度。', '责任单位：区知识产权局（牵头）、区人民法院、区人民检察院'), [
    { leads: ['区知识产权局'], partners: ['区人民法院', '区人民检察院'] },
  ])
  t.same(units('1.建立技术调查官制度。', '区知识产权局（牵头），区人民法院'), [
    { leads: ['区知识产权局'], partners: ['区人民法院'] },
  ])
})

t.test('units merely listed as responsible are partners, not leads', async (t) => {
  t.same(units('1.编制白皮书。', '责任单位：区知识产权局、区统计局'), [
    { leads: [], partners: ['区知识产权局', '区统计局'] },
  ])
})

t.test('a note that the first-listed unit leads makes the first of each list lead', async (t) => {
  const found = units(
    '（各项任务中列第一位的单位为牵头单位）',
    '1.编制白皮书。',
    '责任单位：区知识产权局、区统计局',
    '2.开展宣传周活动（区委宣传部、区教育局、各街镇）。',
  )
  t.same(found, [
    { leads: ['区知识产权局'], partners: ['区统计局'] },
    { leads: ['区委宣传部'], partners: ['区教育局', '各街镇'] },
  ])
})

t.test('prose 由X牵头，Y、Z配合 names a lead and partners', async (t) => {
  t.same(units('1.建设运营平台。由区知识产权局牵头，区科经委、区大数据中心配合。'), [
    { leads: ['区知识产权局'], partners: ['区科经委', '区大数据中心'] },
  ])
  t.same(units('1.建设运营平台，区知识产权局牵头、区科经委配合。'), [
    { leads: ['区知识产权局'], partners: ['区科经委'] },
  ])
})

t.test('会同 names partners, and only 牵头 makes a lead', async (t) => {
  t.same(units('1.研究制定风险补偿办法，区财政局会同区金融工作局、区知识产权局负责。'), [
    { leads: [], partners: ['区财政局', '区金融工作局', '区知识产权局'] },
  ])
  t.same(units('1.设立服务站。请区商务委牵头，会同区市场监管局、区知识产权局落实。'), [
    { leads: ['区商务委'], partners: ['区市场监管局', '区知识产权局'] },
  ])
  t.same(units('1.完成档案移交。相关档案由区知识产权局会同区市场监管局于10月底前完成移交。'), [
    { leads: [], partners: ['区知识产权局', '区市场监管局'] },
  ])
})

t.test('…负责 and …按职责分工负责 name partners', async (t) => {
  t.same(units('1.推进执法协作。版权执法继续由区文体旅游局负责，各有关部门按职责分工负责。'), [
    { leads: [], partners: ['区文体旅游局', '各有关部门'] },
  ])
})

t.test('bureau names may contain brackets', async (t) => {
  t.same(units('1.扩大质押融资。由市科技局（市知识产权局）牵头，区金融工作局配合。'), [
    { leads: ['市科技局（市知识产权局）'], partners: ['区金融工作局'] },
  ])
  t.same(units('1.加强执法。', '牵头单位：区科技和经济委员会(区知识产权局)'), [
    { leads: ['区科技和经济委员会(区知识产权局)'], partners: [] },
  ])
})

t.test('names are split at 和 only where both sides are names, and 等部门 is dropped', async (t) => {
  t.same(units('1.组织培训。', '配合单位：区人力资源和社会保障局、区教育局和区科委等部门'), [
    { leads: [], partners: ['区人力资源和社会保障局', '区教育局', '区科委'] },
  ])
})

t.test('prose that merely mentions leading or cooperating assigns nobody', async (t) => {
  const found = units(
    '1.建立由区政府牵头、各部门参与的风险分担机制。',
    '2.搭建密集监管、协查配合、长期沟通的联动平台，各有关部门加强配合。',
    '3.依托上海大学、同济大学等高校开展培训，推动公众参与。',
  )
  t.same(found, [
    { leads: [], partners: [] },
    { leads: [], partners: [] },
    { leads: [], partners: [] },
  ])
})

t.test('items without units of their own take those stated on their heading line', async (t) => {
  const found = units(
    '（一）深化改革（牵头单位：区知识产权局）',
    '1.推动改革。',
    '2.完善机制（牵头单位：区司法局）。',
  )
  t.same(found, [
    { leads: ['区知识产权局'], partners: [] },
    { leads: ['区司法局'], partners: [] },
  ])
})

t.test('the signature block after the last task is not a responsible unit', async (t) => {
  t.same(units('1.推动改革。', '', '上海市浦东新区人民政府', '2021年3月5日'), [{ leads: [], partners: [] }])
})
