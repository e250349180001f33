import t from 'tap'
import {
  auditor,
  harness,
  ipOffice,
  minutesBody,
  planner,
  scheduleBody,
  secretariat,
  type Harness,
} from './helpers.ts'

const h: Harness = await harness(t)

t.test('scheduling without an id names the meeting after its year and session', async (t) => {
  const { meetingId: _id, ...body } = scheduleBody('ignored')
  const response = await h.post('/meetings', { ...body, session: 7 })
  t.equal(response.statusCode, 200)
  t.match(response.json(), { meetingId: 'jm-2018-7', streamId: 'meeting-jm-2018-7', revision: 1 })
  const again = await h.post('/meetings', { ...body, session: 7 })
  t.match(again.json(), { meetingId: 'jm-2018-7', revision: 1, events: [] }, 'a plain retry records nothing')
})

t.test('another meeting under a used id is a 409', async (t) => {
  await h.meeting('m-exists')
  const response = await h.post('/meetings', { ...scheduleBody('m-exists'), date: '2018-04-02' })
  t.equal(response.statusCode, 409)
  t.equal(response.json().error, 'MEETING_EXISTS')
})

t.test('malformed values are 400s: session, date, id, empty agenda item', async (t) => {
  for (const body of [
    { ...scheduleBody('m-bad'), session: 0 },
    { ...scheduleBody('m-bad'), session: '1' },
    { ...scheduleBody('m-bad'), date: '15/03/2018' },
    { ...scheduleBody('m/bad') },
    { ...scheduleBody('m-bad'), agenda: [''] },
  ]) {
    const response = await h.post('/meetings', body)
    t.equal(response.statusCode, 400, JSON.stringify(body))
  }
  const invalidDay = await h.post('/meetings', { ...scheduleBody('m-bad'), date: '2018-02-30' })
  t.equal(invalidDay.json().error, 'INVALID_DATE')
})

t.test('attendance: delegates, replacement per bureau, and the domain’s refusals', async (t) => {
  await h.meeting('m-att')
  const entries = [
    { bureauId: 'ip-office', status: 'present' },
    { bureauId: 'commerce', status: 'delegated', delegate: '市场处 陈处长' },
  ]
  t.equal((await h.post('/meetings/m-att/attendance', { entries })).statusCode, 200)
  const later = await h.post('/meetings/m-att/attendance', {
    entries: [{ bureauId: 'commerce', status: 'absent' }],
  })
  t.match(later.json(), { events: ['AttendanceRecorded'] })
  const { state } = (await h.get('/meetings/m-att')).json()
  t.same(state.attendance, [entries[0], { bureauId: 'commerce', status: 'absent' }])
  const missing = await h.post('/meetings/m-att/attendance', {
    entries: [{ bureauId: 'finance', status: 'delegated' }],
  })
  t.match(missing.json(), { error: 'INVALID_ATTENDANCE' })
  t.equal(
    (await h.post('/meetings/m-att/attendance', { entries: [{ bureauId: 'x', status: 'late' }] })).statusCode,
    400,
  )
  const unknown = await h.post('/meetings/m-none/attendance', { entries })
  t.equal(unknown.statusCode, 404)
  t.equal(unknown.json().error, 'MEETING_NOT_FOUND')
})

t.test('a meeting that has not met takes no attendance yet', async (t) => {
  await h.post('/meetings', { ...scheduleBody('m-future'), date: '2999-01-01' })
  const response = await h.post('/meetings/m-future/attendance', {
    entries: [{ bureauId: 'ip-office', status: 'present' }],
  })
  t.equal(response.statusCode, 409)
  t.equal(response.json().error, 'MEETING_NOT_HELD')
})

t.test('minutes once; close after them; afterwards the record is fixed', async (t) => {
  await h.meeting('m-life')
  t.equal((await h.post('/meetings/m-life/close')).json().error, 'MINUTES_NOT_ISSUED')
  t.equal((await h.post('/meetings/m-life/minutes', minutesBody)).statusCode, 200)
  const other = await h.post('/meetings/m-life/minutes', {
    ...minutesBody,
    minutesNumber: '浦知联纪〔2018〕2号',
  })
  t.equal(other.json().error, 'MINUTES_ALREADY_ISSUED')
  const late = await h.post('/meetings/m-life/attendance', {
    entries: [{ bureauId: 'finance', status: 'present' }],
  })
  t.equal(late.json().error, 'MINUTES_ALREADY_ISSUED')
  t.match((await h.post('/meetings/m-life/close')).json(), { events: ['JointMeetingClosed'] })
  t.match((await h.post('/meetings/m-life/close')).json(), { events: [] }, 'closing again records nothing')
  const afterClose = await h.post('/meetings/m-life/attendance', {
    entries: [{ bureauId: 'finance', status: 'present' }],
  })
  t.equal(afterClose.json().error, 'MEETING_CLOSED')
})

t.test('minutes dated in the future are refused', async (t) => {
  await h.meeting('m-date')
  const response = await h.post('/meetings/m-date/minutes', { ...minutesBody, issuedOn: '2999-01-01' })
  t.equal(response.statusCode, 400)
  t.equal(response.json().error, 'INVALID_DATE')
})

t.test('every role but the system reads a meeting, with its revision', async (t) => {
  await h.meeting('m-read', 'minuted')
  for (const authorization of [auditor, planner, ipOffice, secretariat]) {
    const response = await h.get('/meetings/m-read', { authorization })
    t.equal(response.statusCode, 200)
    t.match(response.json(), {
      streamId: 'meeting-m-read',
      revision: 3,
      state: {
        status: 'minutes_issued',
        session: 1,
        minutes: minutesBody,
        resolutions: [{ resolutionId: 'R1' }],
      },
    })
  }
  t.equal((await h.get('/meetings/m-read', { authorization: '' })).statusCode, 401)
  t.equal((await h.get('/meetings/m-unknown')).json().error, 'MEETING_NOT_FOUND')
  t.equal((await h.get('/meetings/a%2Fb')).statusCode, 400, 'an id that is no stream id is a 400')
})

t.test('the events of a meeting are listed oldest first, with both times', async (t) => {
  await h.meeting('m-events', 'closed')
  const response = await h.get('/meetings/m-events/events')
  const { events } = response.json()
  t.same(
    events.map((e: { type: string }) => e.type),
    ['JointMeetingScheduled', 'ResolutionAdopted', 'MinutesIssued', 'JointMeetingClosed'],
  )
  t.ok(
    events.every(
      (e: { metadata: { occurredAt?: string; recordedAt?: string } }) =>
        e.metadata.occurredAt && e.metadata.recordedAt,
    ),
  )
  t.equal((await h.get('/meetings/m-nothing/events')).statusCode, 404)
})

t.test('business time given with a command is kept as occurredAt', async (t) => {
  const occurredAt = '2018-03-15T09:30:00+08:00'
  await h.post('/meetings', { ...scheduleBody('m-time'), occurredAt })
  const [scheduled] = await h.events('m-time')
  t.equal(scheduled?.metadata.occurredAt, occurredAt)
})

t.test('the list shows every meeting by date, and only meetings', async (t) => {
  await h.post('/meetings', { ...scheduleBody('m-list-b'), date: '2017-11-20', session: 3 })
  await h.meeting('m-list-a', 'closed')
  const response = await h.get('/meetings', { authorization: ipOffice })
  t.equal(response.statusCode, 200)
  const { meetings } = response.json()
  const dates = meetings.map((m: { date: string }) => m.date)
  t.same(dates, [...dates].sort(), 'ordered by date')
  t.match(meetings[0], {
    meetingId: 'm-list-b',
    session: 3,
    status: 'scheduled',
    resolutions: 0,
    minutes: null,
  })
  t.match(
    meetings.find((m: { meetingId: string }) => m.meetingId === 'm-list-a'),
    { status: 'closed', resolutions: 1, minutes: minutesBody, revision: 4 },
  )
  t.equal((await h.get('/meetings', { authorization: '' })).statusCode, 401)
})

t.test('the service documents its routes in OpenAPI, served locally', async (t) => {
  const response = await h.app.inject({ method: 'GET', url: '/docs/json' })
  const paths = Object.keys(response.json().paths)
  for (const path of [
    '/meetings',
    '/meetings/{meetingId}',
    '/meetings/{meetingId}/attendance',
    '/meetings/{meetingId}/resolutions',
    '/meetings/{meetingId}/resolutions/{resolutionId}/corrections',
    '/meetings/{meetingId}/minutes',
    '/meetings/{meetingId}/minutes/proposals',
    '/meetings/{meetingId}/close',
  ]) {
    t.ok(paths.includes(path), path)
  }
})
