import t from 'tap'
import { asBureau, harness, on } from './helpers.ts'

// One store and projector for the file (PGlite takes seconds to start); each test has its own plan
// and bureaus, so none sees another's rows.
const h = await harness(t)
let tests = 0

function fixture() {
  tests += 1
  const planId = `plan-${tests}`
  const bureau = (name: string) => `${name}-${tests}`
  const published = {
    planId,
    taskId: '三.(二).7',
    title: '展会知识产权保护',
    sectionPath: ['三', '(二)'],
    basis: { kind: 'plan-clause', planId, clause: '三.(二).7' },
  }
  return { planId, stream: `task-${planId}/三.(二).7`, published, ip: bureau('ip'), other: bureau('other') }
}

t.test('given a task assigned, signed for and reported on, the lead sees it with its progress', async (t) => {
  const { stream, published, ip, other } = fixture()
  await h.append(
    stream,
    ['TaskPublished', published, on('2017-06-01')],
    ['TaskAssigned', { leads: [ip], partners: [other] }, on('2017-06-02')],
    ['DeadlineSet', { deadline: '2018-05-20' }, on('2017-06-02')],
    ['TaskAcknowledged', { bureauId: ip }, asBureau(ip, '2017-06-05')],
    [
      'ProgressReported',
      { bureauId: ip, percent: 40, narrative: '已制定方案', evidence: [{ name: '方案', ref: 'doc-1' }] },
      asBureau(ip, '2017-09-01'),
    ],
  )
  await h.caughtUp()

  const lead = await h.models.bureauAccountability(ip, { today: '2018-06-01' })
  t.equal(lead.tasks.length, 1)
  t.match(lead.tasks[0], {
    streamId: stream,
    role: 'lead',
    status: 'in_progress',
    deadline: '2018-05-20',
    daysOverdue: 12,
    acknowledgedAt: '2017-06-05T02:00:00.000Z',
    percent: 40,
    lastProgress: { bureauId: ip, percent: 40, narrative: '已制定方案', evidence: 1 },
    basis: { kind: 'plan-clause', clause: '三.(二).7' },
    leads: [ip],
    partners: [other],
  })
  t.same(lead.counts, { total: 1, overdue: 1, byStatus: { in_progress: 1 }, lead: 1, partner: 0 })

  const partner = await h.models.bureauAccountability(other, { today: '2018-05-20' })
  t.match(partner.tasks[0], { role: 'partner', acknowledgedAt: null, daysOverdue: 0 })
})

t.test('a percentage with a fraction is kept as reported, live and as of then', async (t) => {
  // The contract's percent is a double: a bureau may report a third done.
  const { stream, published, ip } = fixture()
  await h.append(
    stream,
    ['TaskPublished', published, on('2017-06-01')],
    ['TaskAssigned', { leads: [ip], partners: [] }, on('2017-06-02')],
    [
      'ProgressReported',
      { bureauId: ip, percent: 33.3, narrative: '三分之一', evidence: [] },
      asBureau(ip, '2017-09-01'),
    ],
  )
  await h.caughtUp()
  const [rejected] = await h.db.query<{ n: number }>('select count(*)::int as n from rm_live_rejected')
  t.equal(rejected?.n, 0, 'no event is rejected')
  const live = await h.models.bureauAccountability(ip, { today: '2018-06-01' })
  t.match(live.tasks[0], { status: 'in_progress', percent: 33.3, lastProgress: { percent: 33.3 } })
  const past = await h.models.bureauAccountability(ip, {
    asOf: new Date().toISOString(),
    today: '2018-06-01',
  })
  t.match(past.tasks[0], { percent: 33.3, lastProgress: { percent: 33.3 } })
  const { entries } = await h.models.timeline({ planId: published.planId, taskId: published.taskId })
  t.equal(entries[0]?.type, 'ProgressReported', 'on the task timeline')
})

t.test('a bureau no event names is unknown, not one with a clean record', async (t) => {
  const { stream, published, ip } = fixture()
  const idle = `idle-${tests}`
  await h.append(
    stream,
    ['TaskPublished', published, on('2017-06-01')],
    ['TaskAssigned', { leads: [ip], partners: [] }, on('2017-06-02')],
  )
  await h.append(`bureau-${idle}`, [
    'BureauRegistered',
    {
      bureauId: idle,
      kind: '委办局',
      parentId: null,
      effectiveDate: '2016-01-01',
      nameZh: '闲局',
      nameEn: 'Idle',
      shortName: 'idle',
    },
    on('2016-01-01'),
  ])
  await h.caughtUp()
  const now = new Date().toISOString()
  for (const options of [{ today: '2018-06-01' }, { asOf: now }]) {
    const which = JSON.stringify(options)
    await t.rejects(
      h.models.bureauAccountability(`nobody-${tests}`, options),
      { code: 'UNKNOWN_BUREAU', status: 404 },
      which,
    )
    t.same((await h.models.bureauAccountability(idle, options)).tasks, [], `registered, on no task: ${which}`)
    t.equal(
      (await h.models.bureauAccountability(ip, options)).tasks.length,
      1,
      `on a task, never registered: ${which}`,
    )
  }
  await t.rejects(
    h.models.bureauAccountability(ip, { asOf: '2000-01-01' }),
    { code: 'UNKNOWN_BUREAU', message: /as of 2000-01-01T15:59:59.999Z/ },
    'known now, but not as of a day before any event named it: what a replay up to then answers',
  )
})

t.test('given a reassignment, the old lead loses the task and its acknowledgment goes with it', async (t) => {
  const { stream, published, ip, other } = fixture()
  await h.append(
    stream,
    ['TaskPublished', published],
    ['TaskAssigned', { leads: [ip], partners: [] }],
    ['TaskAcknowledged', { bureauId: ip }, asBureau(ip, '2017-06-05')],
    ['TaskAssigned', { leads: [other], partners: [ip] }],
  )
  await h.caughtUp()
  const market = await h.models.bureauAccountability(other, { today: '2018-01-01' })
  t.match(market.tasks[0], { role: 'lead', status: 'assigned', acknowledged: [] })
  const former = await h.models.bureauAccountability(ip, { today: '2018-01-01' })
  t.match(former.tasks[0], { role: 'partner' })
})

t.test(
  'given a completion rejected then verified and closed, the texts are kept as restricted',
  async (t) => {
    const { planId, stream, published, ip } = fixture()
    await h.append(
      stream,
      ['TaskPublished', published],
      ['TaskAssigned', { leads: [ip], partners: [] }],
      ['DeadlineSet', { deadline: '2018-03-01' }],
      ['CompletionSubmitted', { bureauId: ip, summary: '已完成', evidence: [] }, asBureau(ip, '2018-02-01')],
      ['CompletionRejected', { reason: '证据不足' }, on('2018-02-03')],
      [
        'CompletionSubmitted',
        { bureauId: ip, summary: '补充证据', evidence: [] },
        asBureau(ip, '2018-02-10'),
      ],
      ['CompletionVerified', { note: '材料齐全' }, on('2018-02-12')],
      ['TaskClosed', {}, on('2018-02-15')],
    )
    await h.caughtUp()
    const { tasks, counts } = await h.models.bureauAccountability(ip, { today: '2018-06-01' })
    t.match(tasks[0], {
      status: 'closed',
      percent: 100,
      daysOverdue: 0,
      closedAt: '2018-02-15T02:00:00.000Z',
      restricted: {
        completion: { summary: '补充证据' },
        rejection: { reason: '证据不足', at: '2018-02-03T02:00:00.000Z' },
        verification: { note: '材料齐全' },
      },
    })
    t.same(counts.byStatus, { closed: 1 })
    const { entries } = await h.models.timeline({ planId, taskId: '三.(二).7', limit: 20 })
    t.equal(entries.length, 8, 'every event of the task on its timeline')
    t.equal(entries[0]?.summary, '任务 三.(二).7 销号', 'newest first, in Chinese')
    t.notOk(
      entries.some((e) => /证据不足|补充证据|材料齐全/.test(e.summary)),
      'no restricted text in the summaries',
    )
  },
)

t.test('a suspended task is not overdue and keeps where it resumes to', async (t) => {
  const { stream, published, ip } = fixture()
  await h.append(
    stream,
    ['TaskPublished', published],
    ['TaskAssigned', { leads: [ip], partners: [] }],
    ['DeadlineSet', { deadline: '2018-01-10' }],
    ['TaskSuspended', { reason: '等待上级政策' }],
  )
  await h.caughtUp()
  const { tasks, counts } = await h.models.bureauAccountability(ip, { today: '2018-06-01' })
  t.match(tasks[0], {
    status: 'suspended',
    resumeTo: 'assigned',
    statusReason: '等待上级政策',
    daysOverdue: 0,
  })
  t.equal(counts.overdue, 0)
})

t.test('the bureau timeline pages back through what concerns the bureau', async (t) => {
  const { stream, published, ip } = fixture()
  await h.append(stream, ['TaskPublished', published], ['TaskAssigned', { leads: [ip], partners: [] }])
  for (let n = 1; n <= 5; n++) {
    const data = { bureauId: ip, percent: n * 10, narrative: `第${n}次`, evidence: [] }
    await h.append(stream, ['ProgressReported', data, asBureau(ip, '2018-01-0' + n)])
  }
  await h.caughtUp()
  const first = await h.models.timeline({ bureauId: ip, limit: 4 })
  t.same(
    first.entries.map((e) => e.type),
    ['ProgressReported', 'ProgressReported', 'ProgressReported', 'ProgressReported'],
  )
  t.equal(first.entries[0]?.summary, `${ip} 报告任务 三.(二).7进展 50%`)
  const second = await h.models.timeline({ bureauId: ip, limit: 4, before: first.next ?? 0 })
  t.same(
    second.entries.map((e) => e.type),
    ['ProgressReported', 'TaskAssigned'],
  )
  t.equal(second.next, null)
  await t.rejects(h.models.timeline({ taskId: '三.(二).7' }), { code: 'INVALID_QUERY' })
  await t.rejects(h.models.bureauAccountability(ip, { today: '2018-02-30' }), { code: 'INVALID_QUERY' })
})

t.test('an id no event can carry is refused as a bad query, not failed in the database', async (t) => {
  const nul = 'ip\u0000office'
  const long = 'x'.repeat(201)
  const reads: [string, (id: string) => Promise<unknown>][] = [
    ['bureauAccountability', (id: string) => h.models.bureauAccountability(id)],
    ['bureauAccountability as of', (id: string) => h.models.bureauAccountability(id, { asOf: '2018-01-01' })],
    ['planTree', (id: string) => h.models.planTree(id)],
    ['meeting', (id: string) => h.models.meeting(id)],
    ['responsibilities', (id: string) => h.models.responsibilities(id)],
    ['bureau timeline', (id: string) => h.models.timeline({ bureauId: id })],
    ['plan timeline', (id: string) => h.models.timeline({ planId: id })],
    ['meeting timeline', (id: string) => h.models.timeline({ meetingId: id })],
  ]
  for (const [name, read] of reads) {
    await t.rejects(read(nul), { code: 'INVALID_QUERY', message: /must not contain NUL/ }, `${name}: NUL`)
    await t.rejects(
      read(long),
      { code: 'INVALID_QUERY', message: /1 to 200 characters/ },
      `${name}: too long`,
    )
  }
})

t.test(
  'the first page of a timeline no event concerns is an unknown id; a page before the first entry is empty',
  async (t) => {
    const { planId, stream, published, ip } = fixture()
    await h.append(
      stream,
      ['TaskPublished', published, on('2017-06-01')],
      ['TaskAssigned', { leads: [ip], partners: [] }, on('2017-06-02')],
    )
    await h.caughtUp()
    const unknown = [
      [{ bureauId: `nobody-${tests}` }, 'UNKNOWN_BUREAU'],
      [{ planId: `no-plan-${tests}` }, 'UNKNOWN_PLAN'],
      [{ planId, taskId: '九.(九).9' }, 'UNKNOWN_TASK'],
      [{ meetingId: `no-meeting-${tests}` }, 'UNKNOWN_MEETING'],
    ] as const
    for (const [filter, code] of unknown) {
      await t.rejects(h.models.timeline(filter), { code, status: 404 }, JSON.stringify(filter))
    }
    const task = { planId, taskId: '三.(二).7' }
    const first = await h.models.timeline(task)
    t.same(
      first.entries.map((entry) => entry.type),
      ['TaskAssigned', 'TaskPublished'],
    )
    const oldest = first.entries.at(-1)?.position as number
    t.same(
      await h.models.timeline({ ...task, before: oldest }),
      { entries: [], next: null },
      'past the start',
    )
    t.same(
      (await h.models.timeline({ bureauId: ip })).entries.map((entry) => entry.type),
      ['TaskAssigned'],
      'a bureau named only by an assignment has that on its timeline',
    )
    t.ok((await h.models.timeline({ planId })).entries.length > 0, "a plan's tasks are on its timeline")
  },
)
