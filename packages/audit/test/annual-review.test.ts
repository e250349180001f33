import { generateKeyPairSync } from 'node:crypto'
import t from 'tap'
import {
  HistoryVerifier,
  annualReview,
  leafText,
  renderReviewHtml,
  signedAnnualReview,
  SignedYearReview,
  verifyTreeHeadSignature,
  YearReview,
  type BureauAnnualReview,
  type LeafEvent,
} from '../src/index.ts'
import { positionOf, scenario, scenarioLeaves } from './review-scenario.ts'

const leaves = scenarioLeaves()
const review = annualReview(leaves, 2025)
const of = (bureauId: string) => review.bureaus.find((b) => b.bureauId === bureauId) as BureauAnnualReview
const T = (id: string) => `task-p1/${id}`

t.test('the review reads the events recorded before midnight of 31 December in Beijing', async (t) => {
  t.equal(review.yearEnd, '2025-12-31T16:00:00.000Z')
  t.equal(review.eventCount, scenario.length - 2)
  t.equal(review.lastPosition, scenario.length - 2)
  t.same(
    review.bureaus.map((b) => b.bureauId),
    ['b-ip', 'b-old', 'b-sci'],
  )
})

t.test('tasks due in the year: on time, late and still overdue, each with its events', async (t) => {
  const ip = of('b-ip')
  t.same(
    [
      ip.tasksDue.value,
      ip.tasksOnTime.value,
      ip.tasksLate.value,
      ip.tasksOverdue.value,
      ip.tasksSuspended.value,
    ],
    [4, 2, 1, 1, 0],
  )
  t.same(
    ip.tasks.map((task) => [task.taskId, task.deadline, task.outcome, task.doneOn, task.daysLate]),
    [
      ['T2', '2025-03-31', 'late', '2025-04-10', 10],
      ['T1', '2025-06-30', 'on_time', '2025-06-20', 0],
      // 30 September to 1 January: 1 + 31 + 30 + 31 days.
      ['T3', '2025-09-30', 'overdue', null, 93],
      ['R-m1-R1', '2025-12-15', 'on_time', '2025-11-30', 0],
    ],
  )
  const late = [
    positionOf(T('T2'), 'DeadlineSet'),
    positionOf(T('T2'), 'CompletionSubmitted', 1),
    positionOf(T('T2'), 'CompletionVerified'),
  ]
  t.same(ip.tasksLate.positions, late)
  t.same(ip.tasksOverdue.positions, [positionOf(T('T3'), 'DeadlineSet')])
  t.ok(ip.tasksDue.positions.includes(positionOf(T('T1'), 'CompletionVerified')))
  t.notOk(
    ip.tasksDue.positions.includes(positionOf(T('T4'), 'DeadlineSet')),
    'a task due next year is left out',
  )
})

t.test('acknowledgments count from the assignment to the signature', async (t) => {
  const ip = of('b-ip')
  t.same(
    ip.acknowledgmentItems.map((a) => [a.taskId, a.assignedOn, a.acknowledgedOn, a.delayDays]),
    [
      ['T1', '2025-01-06', '2025-01-09', 3],
      ['T2', '2025-01-06', '2025-01-16', 10],
      ['R-m1-R1', '2025-02-11', '2025-02-12', 1],
    ],
  )
  t.equal(ip.acknowledgments.value, 3)
  t.equal(ip.averageAcknowledgmentDelayDays.value, 4.67, '(3 + 10 + 1) / 3')
  t.equal(ip.maxAcknowledgmentDelayDays.value, 10)
  t.same(ip.maxAcknowledgmentDelayDays.positions, [
    positionOf(T('T2'), 'TaskAssigned'),
    positionOf(T('T2'), 'TaskAcknowledged'),
  ])
})

t.test('progress reports and rejected completions of the year', async (t) => {
  const ip = of('b-ip')
  t.equal(ip.progressReports.value, 2, 'the report at midnight belongs to the next year')
  t.same(ip.progressReports.positions, [
    positionOf(T('T1'), 'ProgressReported'),
    positionOf(T('R-m1-R1'), 'ProgressReported'),
  ])
  t.equal(ip.completionsRejected.value, 1)
  t.same(ip.completionsRejected.positions, [
    positionOf(T('T2'), 'CompletionSubmitted', 0),
    positionOf(T('T2'), 'CompletionRejected'),
  ])
  t.equal(ip.rejectionItems[0]?.reason, '材料不全')
})

t.test('a resolution assigning work is implemented once its task is verified', async (t) => {
  const ip = of('b-ip')
  t.equal(ip.resolutionsAssigned.value, 1)
  t.equal(ip.resolutionsDone.value, 1)
  t.equal(ip.resolutionsOverdue.value + ip.resolutionsInProgress.value + ip.resolutionsNotStarted.value, 0)
  t.same(ip.resolutionsDone.positions, [
    positionOf('meeting-m1', 'ResolutionAdopted'),
    positionOf(T('R-m1-R1'), 'CompletionSubmitted'),
    positionOf(T('R-m1-R1'), 'CompletionVerified'),
  ])
  t.equal(of('b-sci').resolutionsAssigned.value, 0)
})

t.test('target attainment uses the latest measurement dated in the year', async (t) => {
  const ip = of('b-ip')
  t.equal(ip.targetsReported.value, 1)
  const [target] = ip.targetItems
  t.same(target?.latest, { value: 50, asOf: '2025-12-31' })
  t.equal(target?.attainment, 1.0417, '50 / 48')
  t.equal(ip.targetsAttained.value, 1)
  t.same(ip.targetsAttained.positions, [
    positionOf('plan-p1', 'TargetDefined'),
    positionOf('plan-p1', 'TargetMeasurementReported', 1),
  ])
  t.equal(of('b-sci').targetsReported.value, 0)
})

t.test(
  'a year with no measurement of its own has no attainment, whatever earlier years measured',
  async (t) => {
    const next = annualReview(leaves, 2026).bureaus.find((b) => b.bureauId === 'b-ip') as BureauAnnualReview
    t.equal(next.targetsReported.value, 1, 'still a target the bureau reports on')
    const [target] = next.targetItems
    t.equal(target?.latest, null, "2025's measurements are not 2026's")
    t.equal(target?.attainment, null)
    t.equal(next.targetsAttained.value, 0)
  },
)

t.test('a merge moves a duty and a task to the bureau that carries on', async (t) => {
  const sci = of('b-sci')
  const old = of('b-old')
  t.same([sci.dutiesGained.value, sci.dutiesLost.value], [1, 0])
  t.same(sci.dutiesGained.positions, [positionOf('duties-b-sci-responsibility', 'DutyReceived')])
  t.equal(sci.dutyMoves[0]?.title, '工业和信息化发展规划')
  t.same([old.dutiesGained.value, old.dutiesLost.value], [0, 1])
  t.equal(old.dissolvedOn, '2025-07-01')
  t.same([sci.tasksDue.value, sci.tasksOnTime.value], [1, 1], 'T5 moved to b-sci and was on time')
  t.equal(old.tasksDue.value, 0)
  t.same(
    sci.acknowledgmentItems.map((a) => [a.taskId, a.delayDays]),
    [['T5', 2]],
  )
  t.same(
    old.acknowledgmentItems.map((a) => [a.taskId, a.delayDays]),
    [['T5', 2]],
  )
})

t.test('a review for one bureau, and for a year before anything happened', async (t) => {
  const one = annualReview(leaves, 2025, { bureauIds: ['b-sci'] })
  t.same(one.bureaus, [of('b-sci')])
  const before = annualReview(leaves, 2024)
  t.equal(before.eventCount, 3, 'the three registrations of December 2024')
  t.same(
    before.bureaus.map((b) => [b.bureauId, b.tasksDue.value, b.acknowledgments.value]),
    [
      ['b-ip', 0, 0],
      ['b-old', 0, 0],
      ['b-sci', 0, 0],
    ],
  )
  t.throws(() => annualReview(leaves, 20251), RangeError)
})

t.test('the signed head covers exactly the events the review read', async (t) => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const document = signedAnnualReview(leaves, 2025, { privateKey, now: new Date('2026-01-02T00:00:00Z') })
  t.equal(document.treeHead.treeSize, document.eventCount)
  t.ok(verifyTreeHeadSignature(document.treeHead, publicKey))
  const verifier = new HistoryVerifier([document.treeHead], publicKey)
  for (const leaf of leaves) verifier.add(leafText(leaf))
  const report = verifier.finish()
  t.equal(report.problem, null)
  t.equal(report.verifiedSize, document.eventCount)
})

/** The scenario's leaves one at a time, counting how many were asked for. */
function counted(events: readonly LeafEvent[]) {
  const read = { count: 0 }
  function* each() {
    for (const event of events) {
      read.count += 1
      yield event
    }
  }
  return { read, each }
}

t.test(
  'a review taken event by event reads the log only up to the first event after the year end',
  async (t) => {
    const { read, each } = counted(leaves)
    const folding = new YearReview(2025)
    let refused = 0
    for (const event of each()) {
      if (folding.take(event)) continue
      refused = event.position
      break
    }
    t.equal(refused, scenario.length - 1, 'the first event recorded in 2026 is refused')
    t.equal(read.count, scenario.length - 1, 'and nothing after it is read')
    t.same(folding.review(), review, 'the same review as from the whole log')

    const signing = new SignedYearReview(2025)
    const signedRead = counted(leaves)
    for (const event of signedRead.each()) if (!signing.take(event)) break
    t.equal(signedRead.read.count, scenario.length - 1)
    const { privateKey } = generateKeyPairSync('ed25519')
    const now = new Date('2026-01-02T00:00:00Z')
    t.same(signing.document({ privateKey, now }), signedAnnualReview(leaves, 2025, { privateKey, now }))
    t.throws(() => new YearReview(999), RangeError)
  },
)

t.test('the HTML escapes every text and lists the positions behind each figure', async (t) => {
  const { privateKey } = generateKeyPairSync('ed25519')
  const renamed = scenarioLeaves([
    ...scenario.slice(0, 3),
    {
      streamId: 'bureau-b-ip',
      type: 'BureauRenamed',
      data: {
        nameZh: '<script>alert(1)</script>局',
        nameEn: 'A & B',
        shortName: 'x',
        effectiveDate: '2025-01-01',
        reason: '更名',
      },
      at: '2025-01-01T02:00:00.000Z',
    },
    ...scenario.slice(3),
  ])
  const html = renderReviewHtml(
    signedAnnualReview(renamed, 2025, {
      privateKey,
      now: new Date('2026-01-02T00:00:00Z'),
      bureauIds: ['b-ip'],
    }),
  )
  t.notMatch(html, '<script>')
  t.match(html, '&lt;script&gt;alert(1)&lt;/script&gt;局')
  t.match(html, 'A &amp; B')
  t.match(html, /逾期完成 Done late<\/td><td><b>1<\/b><\/td><td><span class="pos">#\d+<\/span>/)
  t.match(html, `treeSize: <span id="tree-size">${scenario.length - 1}</span>`)
})

t.test(
  'a resolution is in progress, overdue or not started as its task stands at the year end',
  async (t) => {
    const at = (day: string) => `${day}T02:00:00.000Z`
    const resolution = (resolutionId: string, taskId: string, deadline: string) => ({
      streamId: 'meeting-m2',
      type: 'ResolutionAdopted',
      data: {
        resolutionId,
        text: `议定事项 ${resolutionId}`,
        effect: {
          kind: 'assign-work',
          planId: 'p1',
          taskId,
          title: taskId,
          leads: ['b-ip'],
          partners: [],
          deadline,
        },
      },
      at: at('2025-03-01'),
    })
    const task = (taskId: string, type: string, data: Record<string, unknown>, day: string) => ({
      streamId: `task-p1/${taskId}`,
      type,
      data,
      at: at(day),
    })
    const published = (taskId: string) =>
      task(
        taskId,
        'TaskPublished',
        {
          planId: 'p1',
          taskId,
          title: taskId,
          sectionPath: [],
          basis: { kind: 'resolution', meetingId: 'm2', resolutionId: taskId },
        },
        '2025-03-02',
      )
    const events = scenarioLeaves([
      ...scenario.slice(0, 3),
      resolution('R2', 'X2', '2026-06-30'),
      resolution('R3', 'X3', '2025-11-30'),
      resolution('R4', 'X4', '2025-08-31'),
      resolution('R5', 'X5', '2025-10-31'),
      published('X2'),
      task('X2', 'TaskAssigned', { leads: ['b-ip'], partners: [] }, '2025-03-02'),
      task('X2', 'DeadlineSet', { deadline: '2026-06-30' }, '2025-03-02'),
      task(
        'X2',
        'ProgressReported',
        { bureauId: 'b-ip', percent: 20, narrative: '', evidence: [] },
        '2025-04-01',
      ),
      published('X3'),
      task('X3', 'TaskAssigned', { leads: ['b-ip'], partners: [] }, '2025-03-02'),
      task('X3', 'DeadlineSet', { deadline: '2025-11-30' }, '2025-03-02'),
      task('X3', 'TaskAcknowledged', { bureauId: 'b-ip' }, '2025-03-04'),
      // X4 was never published. X5 is suspended, so neither overdue nor started.
      published('X5'),
      task('X5', 'TaskAssigned', { leads: ['b-ip'], partners: [] }, '2025-03-02'),
      task('X5', 'DeadlineSet', { deadline: '2025-10-31' }, '2025-03-02'),
      task('X5', 'TaskSuspended', { reason: '等待批复' }, '2025-06-01'),
    ])
    const ip = annualReview(events, 2025, { bureauIds: ['b-ip'] }).bureaus[0] as BureauAnnualReview
    t.same(
      ip.resolutionItems.map((r) => [r.resolutionId, r.status]),
      [
        ['R2', 'in_progress'],
        ['R3', 'overdue'],
        ['R4', 'not_started'],
        ['R5', 'not_started'],
      ],
    )
    t.same(
      [
        ip.resolutionsAssigned.value,
        ip.resolutionsInProgress.value,
        ip.resolutionsOverdue.value,
        ip.resolutionsNotStarted.value,
      ],
      [4, 1, 1, 2],
    )
    t.same(
      ip.tasks.map((x) => [x.taskId, x.outcome, x.daysLate]),
      [
        ['X5', 'suspended', 0],
        // 30 November to 1 January: 1 + 31 days.
        ['X3', 'overdue', 32],
      ],
      'X2 is due next year',
    )
    t.same(
      [ip.tasksSuspended.value, ip.acknowledgments.value, ip.maxAcknowledgmentDelayDays.value],
      [1, 1, 2],
    )
  },
)
