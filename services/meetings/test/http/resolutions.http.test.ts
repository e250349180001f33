import { readFileSync } from 'node:fs'
import t from 'tap'
import { adoptBody, harness, ipOffice, planner, workEffect, type Harness } from './helpers.ts'

const h: Harness = await harness(t)

const minutesText = readFileSync(new URL('../fixtures/minutes-2018-1.txt', import.meta.url), 'utf8')
const minutesGbk = readFileSync(new URL('../fixtures/minutes-2018-1.gbk.txt', import.meta.url))

t.test('resolutions are numbered in order; a plain retry answers the same number', async (t) => {
  await h.meeting('r-number')
  const first = await h.post('/meetings/r-number/resolutions', adoptBody)
  t.match(first.json(), { resolutionId: 'R1', events: ['ResolutionAdopted'] })
  const position = { text: '会议要求各成员单位按时报送年度总结。', effect: { kind: 'record-position' } }
  t.match((await h.post('/meetings/r-number/resolutions', position)).json(), { resolutionId: 'R2' })
  const retry = await h.post('/meetings/r-number/resolutions', adoptBody)
  t.match(retry.json(), { resolutionId: 'R1', events: [], revision: 3 })
  const { state } = (await h.get('/meetings/r-number')).json()
  t.match(state.resolutions[0], {
    effect: { ...workEffect, taskId: 'R-r-number-R1' },
    version: 1,
    superseded: [],
  })
})

t.test('every kind of effect is accepted, and each is checked by its own schema', async (t) => {
  await h.meeting('r-kinds')
  const effects = [
    {
      kind: 'change-deadline',
      planId: 'pudong-ip-2017',
      taskId: '三.(二).7',
      deadline: '2018-12-31',
      reason: '展会延期',
    },
    {
      kind: 'change-responsibility',
      planId: 'pudong-ip-2017',
      taskId: '三.(二).7',
      leads: ['commerce'],
      partners: [],
    },
    {
      kind: 'transfer-duty',
      fromBureauId: 'market-supervision',
      listKind: 'responsibility',
      dutyId: 'patent-enforcement',
      toBureauId: 'ip-office',
      effectiveDate: '2018-04-01',
    },
  ]
  for (const [i, effect] of effects.entries()) {
    const response = await h.post('/meetings/r-kinds/resolutions', { text: `议定事项${i}`, effect })
    t.equal(response.statusCode, 200, response.body)
  }
  const bad = await h.post('/meetings/r-kinds/resolutions', {
    text: '甲',
    effect: { ...effects[0], leads: ['x'] },
  })
  t.equal(bad.statusCode, 400)
  const noReason = await h.post('/meetings/r-kinds/resolutions', {
    text: '乙',
    effect: { ...effects[0], reason: undefined },
  })
  t.equal(noReason.statusCode, 400)
  const noLead = await h.post('/meetings/r-kinds/resolutions', {
    text: '丙',
    effect: { ...workEffect, leads: [] },
  })
  t.equal(noLead.json().error, 'INVALID_ASSIGNMENT')
})

t.test(
  'a correction supersedes the current version and keeps it on record, also after the close',
  async (t) => {
    await h.meeting('r-correct', 'closed')
    const body = {
      ...adoptBody,
      effect: { ...workEffect, deadline: '2018-10-31' },
      reason: '纪要误写完成时限',
    }
    const response = await h.post('/meetings/r-correct/resolutions/R1/corrections', body)
    t.match(response.json(), { events: ['ResolutionCorrected'] })
    t.match((await h.post('/meetings/r-correct/resolutions/R1/corrections', body)).json(), { events: [] })
    const { state } = (await h.get('/meetings/r-correct')).json()
    t.match(state.resolutions[0], {
      resolutionId: 'R1',
      version: 2,
      reason: '纪要误写完成时限',
      effect: { deadline: '2018-10-31' },
      superseded: [{ version: 1, reason: null, effect: { deadline: '2018-11-05' } }],
    })
    const [, , , , corrected] = await h.events('r-correct')
    t.match(corrected?.data, { supersedes: 1, previous: { effect: { deadline: '2018-11-05' } } })
  },
)

t.test(
  'corrections are refused without a reason, for unknown resolutions, or when they redirect',
  async (t) => {
    await h.meeting('r-refuse', 'adopted')
    const url = '/meetings/r-refuse/resolutions'
    const noReason = await h.post(`${url}/R1/corrections`, adoptBody)
    t.equal(noReason.statusCode, 400)
    const blank = await h.post(`${url}/R1/corrections`, { ...adoptBody, reason: ' ' })
    t.equal(blank.json().error, 'REASON_REQUIRED')
    const unknown = await h.post(`${url}/R7/corrections`, { ...adoptBody, reason: '更正' })
    t.equal(unknown.statusCode, 404)
    t.equal(unknown.json().error, 'RESOLUTION_NOT_FOUND')
    const redirect = await h.post(`${url}/R1/corrections`, {
      ...adoptBody,
      effect: { ...workEffect, taskId: '三.(二).8' },
      reason: '更正',
    })
    t.equal(redirect.statusCode, 409)
    t.equal(redirect.json().error, 'CORRECTION_NOT_APPLICABLE')
    t.equal((await h.post(`${url}/X1/corrections`, { ...adoptBody, reason: '更正' })).statusCode, 400)
  },
)

t.test('new resolutions stop at the minutes', async (t) => {
  await h.meeting('r-late', 'minuted')
  const response = await h.post('/meetings/r-late/resolutions', { ...adoptBody, text: '补充议定' })
  t.equal(response.json().error, 'MINUTES_ALREADY_ISSUED')
})

t.test('minutes text is read into proposals, and nothing is recorded', async (t) => {
  await h.meeting('r-propose')
  const before = (await h.events('r-propose')).length
  const response = await h.post('/meetings/r-propose/minutes/proposals', {
    text: minutesText,
    planId: 'pudong-ip-2017',
  })
  t.equal(response.statusCode, 200, response.body)
  const { minutes, proposals } = response.json()
  t.same(minutes, {
    title: '浦东新区知识产权联席会议纪要',
    minutesNumber: '浦知联纪〔2018〕1号',
    issuedOn: '2018-03-20',
  })
  t.equal(proposals.length, 4)
  t.match(proposals[0], {
    item: '一',
    effect: {
      kind: 'assign-work',
      planId: 'pudong-ip-2017',
      leads: ['区知识产权局'],
      partners: ['区商务委'],
      deadline: null,
    },
    warnings: [],
  })
  t.equal((await h.events('r-propose')).length, before)
  const [first] = proposals
  const adopted = await h.post('/meetings/r-propose/resolutions', { text: first.text, effect: first.effect })
  t.match(adopted.json(), { resolutionId: 'R1' }, 'a proposal is adopted as it stands')
})

t.test('a GBK minutes file is read from base64', async (t) => {
  await h.meeting('r-gbk')
  const body = { contentBase64: minutesGbk.toString('base64'), planId: 'pudong-ip-2017' }
  const response = await h.post('/meetings/r-gbk/minutes/proposals', body)
  t.equal(response.statusCode, 200)
  t.equal(response.json().proposals[2].effect.leads[0], '区科经委')
})

t.test('proposals: one document, minutes only, a known meeting, the secretariat only', async (t) => {
  await h.meeting('r-prop-bad')
  const url = '/meetings/r-prop-bad/minutes/proposals'
  const planId = 'pudong-ip-2017'
  t.equal((await h.post(url, { planId })).statusCode, 400, 'no document')
  const notBase64 = await h.post(url, { planId, contentBase64: '!!!notbase64' })
  t.match(notBase64.json(), { error: 'BAD_REQUEST', message: /contentBase64 is not base64/ }, 'not base64')
  t.equal(
    (await h.post(url, { planId, text: minutesText, contentBase64: 'AA==' })).statusCode,
    400,
    'two documents',
  )
  t.equal((await h.post(url, { planId, text: minutesText, colour: 1 })).statusCode, 400, 'an unknown field')
  const plan = await h.post(url, { planId, text: '浦东新区知识产权工作方案\n一、重点工作\n1.加强保护。' })
  t.equal(plan.json().error, 'NOT_MINUTES')
  const empty = await h.post(url, { planId, text: '  \n ' })
  t.match(empty.json(), { error: 'IMPORT_EMPTY_DOCUMENT' })
  t.equal(
    (await h.post('/meetings/r-unknown/minutes/proposals', { planId, text: minutesText })).statusCode,
    404,
  )
  t.equal((await h.post(url, { planId, text: minutesText }, { authorization: '' })).statusCode, 401)
  for (const authorization of [planner, ipOffice]) {
    const response = await h.post(url, { planId, text: minutesText }, { authorization })
    t.equal(response.statusCode, 403)
    t.equal(response.json().error, 'FORBIDDEN_ROLE')
  }
})
