import { fold, type CommandActor } from '@coord/domain'
import t from 'tap'
import { meetingDecider } from '../../src/domain.ts'
import {
  adopted,
  attendance,
  attended,
  auditor,
  closed,
  command,
  eveOfMeeting,
  ipOffice,
  meetingMorning,
  minuted,
  minutes,
  planner,
  scheduleData,
  scheduled,
  specFor,
  supervisor,
  system,
} from './fixtures.ts'

const spec = specFor(meetingDecider)

t.test('ScheduleJointMeeting', async (t) => {
  const schedule = (data: Partial<typeof scheduleData>, actor?: CommandActor) =>
    command('ScheduleJointMeeting', { ...scheduleData, ...data }, actor)
  t.test('the secretariat schedules a session with its date, convener and agenda', async (t) => {
    spec(t).given([]).when(schedule({})).then(scheduled)
  })
  t.test('a meeting held before the platform can be scheduled afterwards, to record it', async (t) => {
    const data = { ...scheduleData, meetingId: 'jm-2017-3', session: 3, date: '2017-11-20' }
    spec(t)
      .given([])
      .when(command('ScheduleJointMeeting', data))
      .then([{ type: 'JointMeetingScheduled', data }])
  })
  t.test('nobody but the secretariat schedules meetings', async (t) => {
    for (const actor of [planner, supervisor, auditor, system, ipOffice]) {
      spec(t)
        .given([])
        .when(command('ScheduleJointMeeting', scheduleData, actor))
        .thenThrows('FORBIDDEN_ROLE')
    }
  })
  t.test('scheduling the same meeting again records nothing', async (t) => {
    spec(t).given(adopted).when(schedule({})).then([])
  })
  t.test('another meeting cannot be scheduled under a used id', async (t) => {
    spec(t)
      .given(scheduled)
      .when(schedule({ date: '2018-04-02' }))
      .thenThrows('MEETING_EXISTS')
  })
  t.test('a session is a whole number from 1 and the convener is named', async (t) => {
    for (const session of [0, -1, 1.5, Number.NaN]) {
      spec(t).given([]).when(schedule({ session })).thenThrows('INVALID_VALUE')
    }
    spec(t)
      .given([])
      .when(schedule({ convener: ' ' }))
      .thenThrows('INVALID_VALUE')
    spec(t)
      .given([])
      .when(schedule({ agenda: ['审议工作要点', ''] }))
      .thenThrows('INVALID_VALUE')
    spec(t)
      .given([])
      .when(schedule({ meetingId: 'jm/2018' }))
      .thenThrows('INVALID_VALUE')
  })
  t.test('the date is a calendar day', async (t) => {
    spec(t)
      .given([])
      .when(schedule({ date: '2018-02-30' }))
      .thenThrows('INVALID_DATE')
  })
})

t.test('RecordAttendance', async (t) => {
  const record = (entries: unknown[], actor?: CommandActor, at?: string) =>
    command('RecordAttendance', { entries } as never, actor, at)
  t.test('the secretariat records who was present, absent or sent a delegate', async (t) => {
    spec(t).given(scheduled).when(record(attendance)).then(attended.slice(1))
  })
  t.test('only the entries that change are recorded; a repeat records nothing', async (t) => {
    const late = { bureauId: 'finance', status: 'present' as const }
    spec(t)
      .given(attended)
      .when(record([attendance[0], late]))
      .then([{ type: 'AttendanceRecorded', data: { entries: [late] } }])
    spec(t).given(attended).when(record(attendance)).then([])
  })
  t.test('a later entry replaces the bureau’s earlier one', async (t) => {
    const events = [
      ...attended,
      {
        type: 'AttendanceRecorded' as const,
        data: { entries: [{ bureauId: 'finance', status: 'present' as const }] },
      },
    ]
    const state = fold(meetingDecider, events)
    t.same(state.status !== 'none' && state.attendance.map((e) => `${e.bureauId}:${e.status}`), [
      'ip-office:present',
      'commerce:delegated',
      'finance:present',
    ])
  })
  t.test('nobody but the secretariat records attendance', async (t) => {
    spec(t).given(scheduled).when(record(attendance, planner)).thenThrows('FORBIDDEN_ROLE')
  })
  t.test('attendance needs a scheduled meeting', async (t) => {
    spec(t).given([]).when(record(attendance)).thenThrows('MEETING_NOT_FOUND')
  })
  t.test('attendance is recorded from the meeting day on, by Shanghai time', async (t) => {
    spec(t)
      .given(scheduled)
      .when(record(attendance, undefined, eveOfMeeting))
      .thenThrows('MEETING_NOT_HELD')
    spec(t)
      .given(scheduled)
      .when(record(attendance, undefined, meetingMorning))
      .then(attended.slice(1))
  })
  t.test('a delegate is named exactly for a delegated bureau, and each bureau once', async (t) => {
    spec(t)
      .given(scheduled)
      .when(record([{ bureauId: 'commerce', status: 'delegated' }]))
      .thenThrows('INVALID_ATTENDANCE')
    spec(t)
      .given(scheduled)
      .when(record([{ bureauId: 'commerce', status: 'present', delegate: '陈处长' }]))
      .thenThrows('INVALID_ATTENDANCE')
    spec(t)
      .given(scheduled)
      .when(record([attendance[0], attendance[0]]))
      .thenThrows('INVALID_ATTENDANCE')
    spec(t)
      .given(scheduled)
      .when(record([{ bureauId: 'commerce', status: 'late' }]))
      .thenThrows('INVALID_ATTENDANCE')
    spec(t).given(scheduled).when(record([])).thenThrows('INVALID_ATTENDANCE')
  })
  t.test('a bureau is named by a non-empty id', async (t) => {
    spec(t)
      .given(scheduled)
      .when(record([{ bureauId: '', status: 'present' }]))
      .thenThrows('INVALID_VALUE')
  })
  t.test('once the minutes are issued, attendance is fixed', async (t) => {
    const late = { bureauId: 'finance', status: 'present' }
    spec(t)
      .given(minuted)
      .when(record([late]))
      .thenThrows('MINUTES_ALREADY_ISSUED')
    spec(t)
      .given(closed)
      .when(record([late]))
      .thenThrows('MEETING_CLOSED')
  })
})

t.test('IssueMinutes', async (t) => {
  const issue = (data: Partial<typeof minutes>, actor?: CommandActor, at?: string) =>
    command('IssueMinutes', { ...minutes, ...data }, actor, at)
  t.test('the secretariat issues the minutes under their number', async (t) => {
    spec(t).given(adopted).when(issue({})).then(minuted.slice(adopted.length))
  })
  t.test('issuing the same minutes again records nothing, also after the close', async (t) => {
    spec(t).given(minuted).when(issue({})).then([])
    spec(t).given(closed).when(issue({})).then([])
  })
  t.test('minutes are issued once; a reissue goes through corrections', async (t) => {
    spec(t)
      .given(minuted)
      .when(issue({ minutesNumber: '浦知联纪〔2018〕2号' }))
      .thenThrows('MINUTES_ALREADY_ISSUED')
  })
  t.test('nobody but the secretariat issues minutes', async (t) => {
    spec(t).given(adopted).when(issue({}, supervisor)).thenThrows('FORBIDDEN_ROLE')
  })
  t.test('minutes need a meeting that took place', async (t) => {
    spec(t).given([]).when(issue({})).thenThrows('MEETING_NOT_FOUND')
    spec(t)
      .given(scheduled)
      .when(issue({ issuedOn: '2018-03-14' }, undefined, eveOfMeeting))
      .thenThrows('MEETING_NOT_HELD')
  })
  t.test('minutes are dated from the meeting day to today', async (t) => {
    spec(t)
      .given(adopted)
      .when(issue({ issuedOn: '2018-03-14' }))
      .thenThrows('INVALID_DATE')
    spec(t)
      .given(adopted)
      .when(issue({ issuedOn: '2018-03-21' }))
      .thenThrows('INVALID_DATE')
    spec(t)
      .given(adopted)
      .when(issue({ issuedOn: '2018-3-20' }))
      .thenThrows('INVALID_DATE')
  })
  t.test('minutes carry a number', async (t) => {
    spec(t)
      .given(adopted)
      .when(issue({ minutesNumber: '' }))
      .thenThrows('INVALID_VALUE')
  })
  t.test('a command without a valid time is refused', async (t) => {
    spec(t)
      .given(adopted)
      .when(issue({}, undefined, 'yesterday'))
      .thenThrows('INVALID_DATE')
  })
})

t.test('CloseJointMeeting', async (t) => {
  const close = (actor?: CommandActor) => command('CloseJointMeeting', {}, actor)
  t.test('the secretariat closes a meeting whose minutes are issued', async (t) => {
    spec(t).given(minuted).when(close()).then(closed.slice(minuted.length))
  })
  t.test('closing a closed meeting records nothing', async (t) => {
    spec(t).given(closed).when(close()).then([])
  })
  t.test('a meeting without minutes cannot be closed', async (t) => {
    spec(t).given(adopted).when(close()).thenThrows('MINUTES_NOT_ISSUED')
  })
  t.test('nobody but the secretariat closes a meeting', async (t) => {
    spec(t).given(minuted).when(close(ipOffice)).thenThrows('FORBIDDEN_ROLE')
  })
  t.test('only a scheduled meeting can be closed', async (t) => {
    spec(t).given([]).when(close()).thenThrows('MEETING_NOT_FOUND')
  })
})
