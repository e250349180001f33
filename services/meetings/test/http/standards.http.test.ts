import t from 'tap'
import {
  adoptBody,
  harness,
  ipOffice,
  minutesBody,
  planner,
  scheduleBody,
  workEffect,
  type Harness,
} from './helpers.ts'

// The standards every command route meets, checked route by route: validation with unknown
// fields rejected, 401 without a token, 403 for every role but the secretariat, 409 on a stale
// revision, and an idempotent retry. Each check runs on a meeting of its own.

const h: Harness = await harness(t)

interface Route {
  name: string
  /** Brings the meeting to where the command is accepted. */
  given: 'none' | 'scheduled' | 'adopted' | 'minuted'
  url: (meetingId: string) => string
  body: (meetingId: string) => Record<string, unknown>
  event: string
}

const routes: Route[] = [
  {
    name: 'POST /meetings',
    given: 'none',
    url: () => '/meetings',
    body: scheduleBody,
    event: 'JointMeetingScheduled',
  },
  {
    name: 'POST /meetings/:id/attendance',
    given: 'scheduled',
    url: (id) => `/meetings/${id}/attendance`,
    body: () => ({ entries: [{ bureauId: 'ip-office', status: 'present' }] }),
    event: 'AttendanceRecorded',
  },
  {
    name: 'POST /meetings/:id/resolutions',
    given: 'scheduled',
    url: (id) => `/meetings/${id}/resolutions`,
    body: () => adoptBody,
    event: 'ResolutionAdopted',
  },
  {
    name: 'POST /meetings/:id/resolutions/:rid/corrections',
    given: 'adopted',
    url: (id) => `/meetings/${id}/resolutions/R1/corrections`,
    body: () => ({
      ...adoptBody,
      effect: { ...workEffect, deadline: '2018-10-31' },
      reason: '以会议录音为准',
    }),
    event: 'ResolutionCorrected',
  },
  {
    name: 'POST /meetings/:id/minutes',
    given: 'scheduled',
    url: (id) => `/meetings/${id}/minutes`,
    body: () => minutesBody,
    event: 'MinutesIssued',
  },
  {
    name: 'POST /meetings/:id/close',
    given: 'minuted',
    url: (id) => `/meetings/${id}/close`,
    body: () => ({}),
    event: 'JointMeetingClosed',
  },
]

let counter = 0
async function prepared(route: Route): Promise<string> {
  counter += 1
  const meetingId = `std-${counter}`
  if (route.given !== 'none') await h.meeting(meetingId, route.given)
  return meetingId
}

for (const route of routes) {
  t.test(route.name, async (t) => {
    t.test('the secretariat’s command is recorded', async (t) => {
      const id = await prepared(route)
      const response = await h.post(route.url(id), route.body(id))
      t.equal(response.statusCode, 200, response.body)
      t.match(response.json(), { streamId: `meeting-${id}`, events: [route.event] })
    })

    t.test('an unknown field is a 400 that names it, and nothing is recorded', async (t) => {
      const id = await prepared(route)
      const before = (await h.events(id)).length
      const response = await h.post(route.url(id), { ...route.body(id), colour: 'red' })
      t.equal(response.statusCode, 400)
      t.match(response.json(), { error: 'BAD_REQUEST', field: /colour/ })
      t.equal((await h.events(id)).length, before)
    })

    t.test('without a valid token the answer is 401', async (t) => {
      const id = await prepared(route)
      t.equal((await h.post(route.url(id), route.body(id), { authorization: '' })).statusCode, 401)
      t.equal(
        (await h.post(route.url(id), route.body(id), { authorization: 'Bearer forged' })).statusCode,
        401,
      )
    })

    t.test('other roles are refused with 403 FORBIDDEN_ROLE and nothing is recorded', async (t) => {
      const id = await prepared(route)
      const before = (await h.events(id)).length
      for (const authorization of [planner, ipOffice]) {
        const response = await h.post(route.url(id), route.body(id), { authorization })
        t.equal(response.statusCode, 403)
        t.equal(response.json().error, 'FORBIDDEN_ROLE')
      }
      t.equal((await h.events(id)).length, before)
    })

    t.test('a stale If-Match is a 409 and records nothing', async (t) => {
      const id = await prepared(route)
      const before = (await h.events(id)).length
      const response = await h.post(route.url(id), route.body(id), { 'if-match': `"${before + 5}"` })
      t.equal(response.statusCode, 409)
      t.match(response.json(), { error: 'REVISION_CONFLICT', actual: before })
      t.equal((await h.events(id)).length, before)
      const current = await h.post(route.url(id), route.body(id), { 'if-match': `"${before}"` })
      t.equal(current.statusCode, 200, 'the current revision is accepted')
    })

    t.test('a retry with the same Idempotency-Key gets the first answer and records once', async (t) => {
      const id = await prepared(route)
      const before = (await h.events(id)).length
      const key = { 'idempotency-key': `retry-${id}` }
      const first = await h.post(route.url(id), route.body(id), key)
      const again = await h.post(route.url(id), route.body(id), key)
      t.equal(first.statusCode, 200)
      t.same(again.json(), first.json())
      t.equal((await h.events(id)).length, before + 1)
      const other = await h.post(route.url(id), { ...route.body(id), expectedRevision: 0 }, key)
      t.equal(other.statusCode, 422, 'the key cannot be reused for another request')
    })
  })
}
