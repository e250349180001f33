import t from 'tap'
import type { ReadDb, SqlClient } from '@coord/projector'
import {
  own,
  partner,
  planId,
  recordHistory,
  recordMeeting,
  recordTasks,
  taskId,
} from './fixtures/history.ts'
import { gatewayHarness } from './helpers.ts'

// Every read-model query through the schema, on the embedded store with a real projector.

/** Counts every statement sent to the read-model database, inside transactions too. */
function counting(db: ReadDb): { db: ReadDb; statements: () => number } {
  let count = 0
  const counted = (client: SqlClient): SqlClient => ({
    query: (sql, params) => {
      count += 1
      return client.query(sql, params)
    },
  })
  const wrapped: ReadDb = {
    adapter: db.adapter,
    ...counted(db),
    transaction: (work) => db.transaction((tx) => work(counted(tx))),
    snapshot: <Row, T>(first: string, work: (tx: SqlClient, rows: Row[]) => Promise<T>) =>
      db.snapshot<Row, T>(first, (tx, rows) => {
        count += 1
        return work(counted(tx), rows)
      }),
    batch: <Row>(first: string, work: (tx: SqlClient, rows: Row[]) => Promise<string | null>) =>
      db.batch<Row>(first, (tx, rows) => work(counted(tx), rows)),
    close: () => db.close(),
  }
  return { db: wrapped, statements: () => count }
}

let sql = { statements: () => 0 }
const h = await gatewayHarness(t, {
  wrapDb: (db) => {
    const wrapped = counting(db)
    sql = wrapped
    return wrapped.db
  },
})
await recordHistory(h.append)
await h.caughtUp()

t.test('the accountability view answers the read model with names, plan and basis resolved', async (t) => {
  const { status, body } = await h.query(
    'bureau',
    `query($id: ID!) { bureauAccountability(bureauId: $id) {
      bureauId today asOf position bureau { nameZh registered }
      counts { total overdue lead partner byStatus { status count } }
      tasks { role acknowledgedAt task { taskId status deadline daysOverdue percent
        plan { title docNumber } leadBureaus { bureauId nameZh } partnerBureaus { bureauId registered }
        basis { __typename ... on PlanClauseBasis { clause } ... on ResolutionBasis { meetingId resolutionId meeting { session } } }
        lastProgress { percent narrative evidence at } restricted { rejection { reason } verification { note } } } } } }`,
    { id: own },
  )
  t.equal(status, 200, JSON.stringify(body.errors))
  const view = await h.models.bureauAccountability(own)
  const answer = body.data?.bureauAccountability as Record<string, unknown>
  t.match(answer, {
    bureauId: own,
    today: '2018-06-01',
    asOf: null,
    position: view.position,
    bureau: { nameZh: '浦东新区知识产权局（更名）', registered: true },
    counts: { total: view.counts.total, lead: 2, partner: 0 },
  })
  t.same(
    (answer.tasks as { task: { taskId: string } }[]).map((entry) => entry.task.taskId),
    view.tasks.map((task) => task.taskId),
    'the read model’s tasks in its order',
  )
  t.match(answer.tasks, [
    {
      role: 'lead',
      acknowledgedAt: '2017-06-05T02:00:00.000Z',
      task: {
        taskId,
        status: 'verified',
        plan: { title: '知识产权示范城市工作方案', docNumber: '浦府〔2017〕94号' },
        leadBureaus: [{ bureauId: own, nameZh: '浦东新区知识产权局（更名）' }],
        partnerBureaus: [{ bureauId: partner, registered: true }],
        basis: { __typename: 'PlanClauseBasis', clause: taskId },
        lastProgress: { percent: 60, narrative: '已起草备案制度', evidence: 1 },
        restricted: { rejection: { reason: '缺少执行记录' }, verification: { note: '材料齐全' } },
      },
    },
    {
      task: {
        taskId: 'R-m1-R1',
        basis: {
          __typename: 'ResolutionBasis',
          meetingId: 'm1',
          resolutionId: 'R1',
          meeting: { session: 1 },
        },
      },
    },
  ])
})

t.test('asOf answers the view as the log had recorded it at that instant', async (t) => {
  const events: { position: number; recordedAt: string; type: string; streamId: string }[] = []
  for await (const event of h.store.readAll()) {
    events.push({ ...event, recordedAt: event.metadata.recordedAt })
  }
  const verified = events.find((event) => event.type === 'CompletionVerified')
  const rejected = events.find((event) => event.type === 'CompletionRejected')
  if (!verified || !rejected) throw new Error('fixture lacks the completion events')
  const document = `query($asOf: String) { bureauAccountability(bureauId: "ip-office", asOf: $asOf) {
    asOf position tasks { task { taskId status } } } }`
  const then = await h.query('auditor', document, { asOf: rejected.recordedAt })
  t.equal(then.status, 200, JSON.stringify(then.body.errors))
  const view = then.body.data?.bureauAccountability as {
    asOf: string
    position: number
    tasks: { task: { taskId: string; status: string } }[]
  }
  t.equal(view.asOf, new Date(rejected.recordedAt).toISOString(), 'the instant asked about')
  t.equal(view.position, rejected.position, 'the last event recorded by then')
  t.same(
    view.tasks.map((entry) => entry.task),
    [{ taskId, status: 'in_progress' }],
    'back in progress after the rejection: before the verification and the meeting’s task',
  )
  const bad = await h.query('auditor', document, { asOf: 'yesterday' })
  t.equal(bad.status, 400, 'a malformed instant is the client’s mistake')
  t.equal(bad.body.errors?.[0]?.extensions?.code, 'INVALID_QUERY')
})

t.test('an unknown bureau is an error, not an empty view that reads as a clean record', async (t) => {
  const document = `query($id: ID!, $asOf: String) { bureauAccountability(bureauId: $id, asOf: $asOf) {
    counts { total } } }`
  for (const asOf of [null, new Date().toISOString()]) {
    const unknown = await h.query('supervisor', document, { id: 'ip-ofice', asOf })
    t.equal(unknown.status, 404, `asOf ${asOf}`)
    t.equal(unknown.body.errors?.[0]?.extensions?.code, 'UNKNOWN_BUREAU')
    t.match(unknown.body.errors?.[0]?.message, /ip-ofice/)
    t.equal(unknown.body.data, null)
    const registered = await h.query('supervisor', document, { id: 'justice', asOf })
    t.same(
      registered.body,
      { data: { bureauAccountability: { counts: { total: 0 } } } },
      'registered, on no task',
    )
  }
})

t.test('the first page of an unknown plan, task or meeting timeline is an error', async (t) => {
  for (const [field, args, code] of [
    ['planTimeline', 'planId: "no-such-plan"', 'UNKNOWN_PLAN'],
    ['taskTimeline', `planId: "${planId}", taskId: "九.(九).9"`, 'UNKNOWN_TASK'],
    ['meetingTimeline', 'meetingId: "no-such-meeting"', 'UNKNOWN_MEETING'],
    ['bureauTimeline', 'bureauId: "no-such-bureau"', 'UNKNOWN_BUREAU'],
  ] as const) {
    const { status, body } = await h.query('supervisor', `{ ${field}(${args}) { entries { position } } }`)
    t.equal(status, 404, field)
    t.equal(body.errors?.[0]?.extensions?.code, code, field)
    t.equal(body.data, null)
  }
})

t.test('the plan tree carries sections, rolled-up progress and targets', async (t) => {
  const { body } = await h.query(
    'planner',
    `{ planTree(planId: "${planId}") { plan { title goals { text } } today progress { total percent byStatus { status count } }
      sections { ordinal title progress { total } sections { ordinal tasks { taskId } } }
      tasks { taskId } targets { targetId baseline value latest { value asOf } attainment reportingBureaus { nameZh } } } }`,
  )
  const tree = await h.models.planTree(planId)
  t.match(body.data?.planTree, {
    plan: { title: '知识产权示范城市工作方案', goals: [{ text: '建成示范城市' }] },
    progress: { total: tree?.progress.total, percent: tree?.progress.percent },
    sections: [{ ordinal: '三', title: '重点工作', sections: [{ ordinal: '(二)', tasks: [{ taskId }] }] }],
    tasks: [{ taskId: 'R-m1-R1' }],
    targets: [
      {
        targetId: 'T1',
        baseline: 30,
        value: 48,
        latest: { value: 36, asOf: '2018-06-30' },
        attainment: 0.75,
        reportingBureaus: [{ nameZh: '浦东新区知识产权局（更名）' }],
      },
    ],
  })
  const unknown = await h.query('planner', '{ planTree(planId: "nope") { today } }')
  t.same(unknown.body, { data: { planTree: null } }, 'null for an unknown plan')
})

t.test('a meeting answers the same resolutions whether listed or asked for alone', async (t) => {
  const fields = `meetingId session minutes { minutesNumber } attendanceCounts { present delegated } resolutionCount
    attendance { bureauId status delegate bureau { nameZh } }
    resolutions { resolutionId version text effectKind supersededCount implementationStatus tasks { taskId status } }`
  const listed = await h.query('secretariat', `{ meetings { ${fields} } }`)
  const alone = await h.query('secretariat', `{ meeting(meetingId: "m1") { ${fields} } }`)
  t.equal(listed.status, 200, JSON.stringify(listed.body.errors))
  t.same((listed.body.data?.meetings as unknown[])[0], alone.body.data?.meeting)
  t.match(alone.body.data?.meeting, {
    attendanceCounts: { present: 1, delegated: 1 },
    resolutionCount: 2,
    attendance: [{ bureauId: own, bureau: { nameZh: '浦东新区知识产权局（更名）' } }, { delegate: '王五' }],
    resolutions: [
      { effectKind: 'assign-work', implementationStatus: 'in_progress', tasks: [{ taskId: 'R-m1-R1' }] },
      { effectKind: 'change-deadline', implementationStatus: 'done', tasks: [{ taskId }] },
    ],
  })
})

t.test('responsibility lists and timelines answer with business and recording times', async (t) => {
  const { body } = await h.query(
    'planner',
    `{ responsibilities(bureauId: "${own}", asOf: "2018-07-01") { asOf bureau { name { nameZh } names { from } status }
        duties { responsibility { dutyId title } } scheduled { dutyId } history { dutyId ended { by } }
        reorganisations { reorganisationId type intoBureauIds } }
      planTimeline(planId: "${planId}", first: 3) { entries { position type occurredAt recordedAt actor { role } summary } next } }`,
  )
  t.match(body.data?.responsibilities, {
    asOf: '2018-07-01',
    bureau: { name: { nameZh: '浦东新区知识产权局（更名）' }, status: 'active' },
    duties: { responsibility: [{ dutyId: 'D1' }] },
    reorganisations: [{ reorganisationId: 'r2019', type: 'BureausMerged', intoBureauIds: ['market'] }],
  })
  const page = body.data?.planTimeline as {
    entries: { position: number; occurredAt: string; recordedAt: string }[]
    next: number
  }
  t.equal(page.entries.length, 3)
  t.ok(
    page.entries.every((entry) => entry.occurredAt !== entry.recordedAt),
    'business time beside recording time',
  )
  const older = await h.query(
    'planner',
    `{ planTimeline(planId: "${planId}", first: 3, before: ${page.next}) { entries { position } } }`,
  )
  const positions = (older.body.data?.planTimeline as { entries: { position: number }[] }).entries.map(
    (e) => e.position,
  )
  t.ok(
    positions.every((position) => position < page.next),
    'the next page is older',
  )
  const task = await h.query(
    'bureau',
    `{ taskTimeline(planId: "${planId}", taskId: "${taskId}") { entries { taskId type position } } }`,
  )
  const entries = (
    task.body.data?.taskTimeline as { entries: { taskId: string; type: string; position: number }[] }
  ).entries
  t.ok(
    entries.every((entry) => entry.taskId === taskId),
    'only the task’s events',
  )
  t.same(
    entries
      .map((entry) => entry.type)
      .reverse()
      .slice(0, 3),
    ['TaskPublished', 'TaskAssigned', 'DeadlineSet'],
    'newest first, back to its publication',
  )
})

t.test('lists of any length cost the same number of SQL statements (no N+1)', async (t) => {
  const document = `{ bureauAccountability(bureauId: "market") { tasks { task { taskId plan { title }
      leadBureaus { nameZh } partnerBureaus { nameZh } basis { ... on ResolutionBasis { meeting { session
        attendance { bureau { nameZh } } resolutions { tasks { taskId leadBureaus { nameZh } plan { title } } } } } } } } }
    meetings { attendance { bureau { nameZh } } resolutions { implementationStatus tasks { plan { title } leadBureaus { nameZh } } } } }`
  const measure = async () => {
    const before = sql.statements()
    const { status, body } = await h.query('supervisor', document)
    t.equal(status, 200, JSON.stringify(body.errors))
    const data = body.data as { bureauAccountability: { tasks: unknown[] }; meetings: unknown[] }
    return {
      statements: sql.statements() - before,
      tasks: data.bureauAccountability.tasks.length,
      meetings: data.meetings.length,
    }
  }
  await recordTasks(h.append, 2, 'market')
  await recordMeeting(h.append, 'm2', 2, '2018-04-01', 'market')
  await h.caughtUp()
  const small = await measure()
  await recordTasks(h.append, 20, 'market', 3)
  for (let n = 3; n <= 8; n++) await recordMeeting(h.append, `m${n}`, n, `2018-05-0${n}`, 'market')
  await h.caughtUp()
  const large = await measure()
  t.ok(
    large.tasks >= small.tasks + 20 && large.meetings >= small.meetings + 6,
    `${small.tasks} then ${large.tasks} tasks`,
  )
  t.equal(large.statements, small.statements, `${small.statements} statements for either`)
})
