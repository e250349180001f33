import { readFileSync } from 'node:fs'
import { DomainError, fold } from '@coord/domain'
import { parsePlan } from '@coord/plan-import'
import t from 'tap'
import { meetingDecider, proposeResolutions, readMinutes } from '../../src/domain.ts'
import { attended, command, planId } from './fixtures.ts'

// 浦知联纪〔2018〕1号: four numbered decisions with their responsibilities in prose.
const minutesText = readFileSync(new URL('../fixtures/minutes-2018-1.txt', import.meta.url), 'utf8')

t.test('each numbered decision of the minutes is proposed as work with the bureaus it names', async (t) => {
  const proposals = proposeResolutions(parsePlan(minutesText), planId)
  t.same(
    proposals.map(({ item, text, effect }) => ({
      item,
      text,
      leads: effect.leads,
      partners: effect.partners,
    })),
    [
      { item: '一', text: '关于展会知识产权保护', leads: ['区知识产权局'], partners: ['区商务委'] },
      { item: '二', text: '关于知识产权质押融资风险补偿', leads: [], partners: ['区财政局', '区金融工作局'] },
      {
        item: '三',
        text: '关于重点产业专利导航',
        leads: ['区科经委'],
        partners: ['区知识产权局', '区发展改革委'],
      },
      { item: '四', text: '关于知识产权示范城市年度考核', leads: [], partners: [] },
    ],
  )
  for (const { effect } of proposals) {
    t.match(effect, { kind: 'assign-work', planId, deadline: null })
    t.equal(effect.title.length > 0, true)
  }
})

t.test('a proposal says what the secretariat must fill in before adopting it', async (t) => {
  const warnings = proposeResolutions(parsePlan(minutesText), planId).map((p) => p.warnings)
  t.same(warnings[0], [])
  t.match(warnings[1], [/no lead bureau/])
  t.same(warnings[2], [])
  t.match(warnings[3], [/name no bureau.*record-position/])
})

t.test('a proposal without warnings is adopted as it stands', async (t) => {
  const [first] = proposeResolutions(parsePlan(minutesText), planId)
  if (first === undefined) throw new Error('no proposal')
  const events = meetingDecider.decide(
    command('AdoptResolution', { text: first.text, effect: first.effect }),
    fold(meetingDecider, attended),
  )
  t.match(events, [
    { type: 'ResolutionAdopted', data: { resolutionId: 'R1', effect: { taskId: 'R-jm-2018-1-R1' } } },
  ])
})

t.test('a bureau named both lead and partner is proposed as lead only', async (t) => {
  const parsed = {
    ...parsePlan(minutesText),
    tasks: [{ id: '一', title: '甲', leads: ['区商务委'], partners: ['区商务委', '区财政局'] }],
  }
  t.same(proposeResolutions(parsed, planId)[0]?.effect.partners, ['区财政局'])
})

t.test('the minutes file is read in GBK too, with its number and date', async (t) => {
  const gbk = readFileSync(new URL('../fixtures/minutes-2018-1.gbk.txt', import.meta.url))
  t.not(gbk.toString('utf8'), minutesText, 'the file is not UTF-8')
  const { header, parsed } = readMinutes(gbk)
  t.same(header, {
    title: '浦东新区知识产权联席会议纪要',
    minutesNumber: '浦知联纪〔2018〕1号',
    issuedOn: '2018-03-20',
  })
  t.equal(parsed.tasks.length, 4)
})

t.test('a document that is not minutes is refused', async (t) => {
  const plan = '浦东新区知识产权工作方案\n一、重点工作\n1.加强展会知识产权保护。由区知识产权局牵头。'
  t.throws(() => readMinutes(Buffer.from(plan)), {
    code: 'NOT_MINUTES',
    status: 400,
    message: /its title '浦东新区知识产权工作方案' names no 纪要 or 议定事项/,
  })
  t.throws(() => readMinutes(Buffer.from('hello')), { code: 'NOT_MINUTES', message: /'hello'/ })
})

t.test('the importer’s refusals pass on with its code and status', async (t) => {
  try {
    readMinutes(Buffer.from('   '))
    t.fail('blank minutes were read')
  } catch (error) {
    t.ok(error instanceof DomainError)
    t.match(error, { code: 'IMPORT_EMPTY_DOCUMENT', status: 400 })
  }
})
