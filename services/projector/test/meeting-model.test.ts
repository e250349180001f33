import t from 'tap'
import { harness, on } from './helpers.ts'

const h = await harness(t)

const assignWork = {
  kind: 'assign-work',
  planId: 'pudong-ip',
  taskId: 'R-m3-R1',
  title: '制定展会知识产权保护工作方案',
  leads: ['ip-office'],
  partners: ['commerce'],
  deadline: '2018-06-30',
}
const changeDeadline = {
  kind: 'change-deadline',
  planId: 'pudong-ip',
  taskId: '三.(二).7',
  deadline: '2018-12-31',
  reason: '展会延期',
}

t.before(async () => {
  await h.append(
    'meeting-m3',
    [
      'JointMeetingScheduled',
      { meetingId: 'm3', session: 3, date: '2018-03-01', convener: '区知识产权局', agenda: ['展会保护'] },
    ],
    [
      'AttendanceRecorded',
      {
        entries: [
          { bureauId: 'ip-office', status: 'present' },
          { bureauId: 'commerce', status: 'absent' },
        ],
      },
      on('2018-03-01'),
    ],
    [
      'ResolutionAdopted',
      { resolutionId: 'R1', text: '由知识产权局牵头制定方案', effect: assignWork },
      on('2018-03-01'),
    ],
    [
      'ResolutionAdopted',
      { resolutionId: 'R2', text: '会议认为展会保护十分重要', effect: { kind: 'record-position' } },
    ],
    ['ResolutionAdopted', { resolutionId: 'R3', text: '任务三.(二).7延期', effect: changeDeadline }],
    [
      'AttendanceRecorded',
      { entries: [{ bureauId: 'commerce', status: 'delegated', delegate: '王五' }] },
      on('2018-03-02'),
    ],
    [
      'ResolutionCorrected',
      {
        resolutionId: 'R1',
        supersedes: 1,
        text: '由知识产权局牵头、商务委配合制定方案',
        effect: assignWork,
        reason: '纪要笔误',
        previous: { text: '由知识产权局牵头制定方案', effect: assignWork },
      },
      on('2018-03-05'),
    ],
    ['MinutesIssued', { minutesNumber: '浦知联纪〔2018〕3号', issuedOn: '2018-03-06' }],
  )
  await h.append(
    'task-pudong-ip/R-m3-R1',
    [
      'TaskPublished',
      {
        planId: 'pudong-ip',
        taskId: 'R-m3-R1',
        title: '制定展会知识产权保护工作方案',
        sectionPath: [],
        basis: { kind: 'resolution', meetingId: 'm3', resolutionId: 'R1' },
      },
    ],
    ['TaskAssigned', { leads: ['ip-office'], partners: ['commerce'] }],
    ['DeadlineSet', { deadline: '2018-06-30' }],
    ['TaskAcknowledged', { bureauId: 'ip-office' }],
  )
  await h.append(
    'task-pudong-ip/三.(二).7',
    [
      'TaskPublished',
      {
        planId: 'pudong-ip',
        taskId: '三.(二).7',
        title: '展会知识产权保护',
        sectionPath: ['三', '(二)'],
        basis: { kind: 'plan-clause', planId: 'pudong-ip', clause: '三.(二).7' },
      },
    ],
    ['TaskAssigned', { leads: ['commerce'], partners: [] }],
    ['DeadlineChanged', { from: '2018-06-30', to: '2018-12-31', reason: '展会延期' }],
    ['CompletionSubmitted', { bureauId: 'commerce', summary: '完成', evidence: [] }],
    ['CompletionVerified', { note: '通过' }],
  )
  await h.append('meeting-m4', [
    'JointMeetingScheduled',
    { meetingId: 'm4', session: 4, date: '2018-09-01', convener: '区知识产权局', agenda: [] },
  ])
  await h.caughtUp()
})

t.test('the meetings list shows each session with attendance and resolution counts', async (t) => {
  t.same(
    (await h.models.meetings()).map((m) => [m.meetingId, m.session, m.status, m.attendance, m.resolutions]),
    [
      ['m3', 3, 'minutes_issued', { present: 1, absent: 0, delegated: 1 }, 3],
      ['m4', 4, 'scheduled', { present: 0, absent: 0, delegated: 0 }, 0],
    ],
  )
})

t.test('a meeting shows attendance as last recorded and resolutions in their current version', async (t) => {
  const meeting = await h.models.meeting('m3', { today: '2018-05-01' })
  t.match(meeting, { minutes: { minutesNumber: '浦知联纪〔2018〕3号', issuedOn: '2018-03-06' } })
  t.same(meeting?.attendance, [
    { bureauId: 'ip-office', status: 'present', delegate: null, recordedAt: '2018-03-01T02:00:00.000Z' },
    { bureauId: 'commerce', status: 'delegated', delegate: '王五', recordedAt: '2018-03-02T02:00:00.000Z' },
  ])
  t.match(meeting?.resolutions[0], {
    resolutionId: 'R1',
    version: 2,
    text: '由知识产权局牵头、商务委配合制定方案',
    reason: '纪要笔误',
    supersededCount: 1,
    superseded: [{ version: 1, text: '由知识产权局牵头制定方案' }],
    correctedAt: '2018-03-05T02:00:00.000Z',
  })
  t.equal(await h.models.meeting('nope'), null)
})

t.test('each resolution reports the tasks it concerns and its implementation status', async (t) => {
  const before = await h.models.meeting('m3', { today: '2018-05-01' })
  t.same(
    before?.resolutions.map((r) => [
      r.resolutionId,
      r.tasks.map((task) => task.taskId),
      r.implementationStatus,
    ]),
    [
      ['R1', ['R-m3-R1'], 'in_progress'],
      ['R2', [], 'done'],
      ['R3', ['三.(二).7'], 'done'],
    ],
  )
  t.notOk('restricted' in (before?.resolutions[2]?.tasks[0] ?? {}), 'no restricted texts on a meeting page')
  const after = await h.models.meeting('m3', { today: '2018-07-02' })
  t.equal(after?.resolutions[0]?.implementationStatus, 'overdue', 'past the deadline and not done')
})

t.test('the meeting timeline files resolutions under the task they act on', async (t) => {
  const { entries } = await h.models.timeline({ planId: 'pudong-ip', taskId: '三.(二).7' })
  t.equal(entries.at(-1)?.summary, '通过议定事项 R3：任务三.(二).7延期')
  const meeting = await h.models.timeline({ meetingId: 'm3' })
  t.equal(meeting.entries.length, 8)
})
