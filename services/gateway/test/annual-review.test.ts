import { generateKeyPairSync } from 'node:crypto'
import t, { type Test } from 'tap'
import { signHeadOver, verifyTreeHeadSignature, yearPrefix, type SignedTreeHead } from '@coord/audit'
import { scenarioLeaves } from '../../../packages/audit/test/review-scenario.ts'
import type { AuditSource, HistorySource } from '../src/index.ts'
import { gatewayHarness } from './helpers.ts'

// annualReview over the year of packages/audit/test/review-scenario.ts (its figures are worked out
// by hand in annual-review.test.ts there), read from a history source holding it, with the
// notary's year-end head over exactly the events recorded before the year end.

const leaves = scenarioLeaves()
const history: HistorySource = {
  async *readAll() {
    yield* leaves
  },
}
const { privateKey, publicKey } = generateKeyPairSync('ed25519')
const yearEndHead = signHeadOver(yearPrefix(leaves, 2025), privateKey, new Date('2026-01-01T00:00:00.000Z'))
const notUsed = () => Promise.reject(new Error('no proofs in this test'))
const audit: AuditSource = {
  treeHeads: async () => [
    { ...yearEndHead, seq: 1, reason: 'year-end', yearEnd: 2025 },
    { ...yearEndHead, seq: 2, reason: 'request', yearEnd: null, treeSize: leaves.length },
  ],
  inclusionProof: notUsed,
  consistencyProof: notUsed,
}

const query = `query ($year: Int!, $bureauId: ID) {
  annualReview(year: $year, bureauId: $bureauId) {
    bureauId nameZh registered eventCount
    treeHead { seq treeSize rootHash keyId signature timestamp }
    tasksDue { value positions } tasksOnTime { value } tasksLate { value positions } tasksOverdue { value }
    acknowledgments { value } averageAcknowledgmentDelayDays { value } progressReports { value }
    completionsRejected { value positions } resolutionsAssigned { value } resolutionsDone { value }
    targetsReported { value } targetsAttained { value }
    targets { metric latestValue latestAsOf attainment positions }
    dutiesGained { value positions } dutiesLost { value }
    tasks { taskId outcome daysLate }
  }
}`

interface Review {
  bureauId: string
  nameZh: string
  registered: boolean
  eventCount: number
  treeHead: (Omit<SignedTreeHead, 'keyId'> & { seq: number; keyId: string }) | null
  [figure: string]: unknown
}

const value = (review: Review | undefined, figure: string) => (review?.[figure] as { value: number }).value

t.test('an auditor reads the annual review with its figures, positions and tree head', async (t) => {
  const h = await gatewayHarness(t, { deps: { history, audit } })
  const { status, body } = await h.query('auditor', query, { year: 2025 })
  t.equal(status, 200, JSON.stringify(body.errors))
  const reviews = (body.data as { annualReview: Review[] }).annualReview
  t.same(
    reviews.map((r) => r.bureauId),
    ['b-ip', 'b-old', 'b-sci'],
  )
  const ip = reviews[0]
  t.equal(ip?.nameZh, '知识产权局')
  t.same(
    ['tasksDue', 'tasksOnTime', 'tasksLate', 'tasksOverdue'].map((f) => value(ip, f)),
    [4, 2, 1, 1],
  )
  t.same(
    [
      'acknowledgments',
      'averageAcknowledgmentDelayDays',
      'progressReports',
      'completionsRejected',
      'resolutionsAssigned',
      'resolutionsDone',
      'targetsReported',
      'targetsAttained',
    ].map((f) => value(ip, f)),
    [3, 4.67, 2, 1, 1, 1, 1, 1],
  )
  t.same(ip?.targets, [
    {
      metric: '每万人口发明专利拥有量',
      latestValue: 50,
      latestAsOf: '2025-12-31',
      attainment: 1.0417,
      positions: [4, 47],
    },
  ])
  t.equal(ip?.eventCount, 47)
  t.equal(ip?.treeHead?.seq, 1, 'the year-end head, which covers exactly the events read')
  t.equal(ip?.treeHead?.treeSize, 47)
  const { seq: _seq, ...head } = ip?.treeHead ?? { seq: 0 }
  t.ok(verifyTreeHeadSignature(head as SignedTreeHead, publicKey))
  t.same([value(reviews[2], 'dutiesGained'), value(reviews[1], 'dutiesLost')], [1, 1])

  const one = await h.query('supervisor', query, { year: 2025, bureauId: 'b-sci' })
  const sci = (one.body.data as { annualReview: Review[] }).annualReview
  t.same(
    sci.map((r) => [r.bureauId, value(r, 'tasksOnTime'), r.registered]),
    [['b-sci', 1, true]],
  )
  const before = await h.query('auditor', query, { year: 2024 })
  const earlier = (before.body.data as { annualReview: Review[] }).annualReview
  t.same(
    earlier.map((r) => [r.bureauId, value(r, 'tasksDue'), r.treeHead]),
    [
      ['b-ip', 0, null],
      ['b-old', 0, null],
      ['b-sci', 0, null],
    ],
    'no head was signed over the three events of 2024',
  )
})

/** A history source over the scenario that counts its reads and the events they yielded. */
function countingHistory() {
  const counts = { reads: 0, read: 0, closed: 0 }
  const source: HistorySource = {
    async *readAll() {
      counts.reads += 1
      try {
        for (const leaf of leaves) {
          counts.read += 1
          yield leaf
        }
      } finally {
        counts.closed += 1
      }
    },
  }
  return { counts, source }
}

async function reviewer(t: Test) {
  const { counts, source } = countingHistory()
  const h = await gatewayHarness(t, { deps: { history: source, audit } })
  const reviewed = async (year: number, bureauId?: string) => {
    const { status, body } = await h.query('auditor', query, { year, bureauId })
    t.equal(status, 200, JSON.stringify(body.errors))
    return (body.data as { annualReview: Review[] }).annualReview
  }
  return { counts, reviewed }
}

t.test('the log is read only up to the year end, and a finished year only once', async (t) => {
  const { counts, reviewed } = await reviewer(t)
  const [first, other] = await Promise.all([reviewed(2025, 'b-ip'), reviewed(2025, 'b-sci')])
  t.same([first[0]?.eventCount, other[0]?.eventCount], [47, 47])
  t.equal(counts.reads, 1, 'calls overlapping on a finished year share one fold')
  t.equal(counts.read, 48, 'the 47 events of the prefix and the first after it, not the one after that')
  t.equal(counts.closed, 1, 'and the reader was closed')

  const again = await reviewed(2025, 'b-ip')
  t.same([again[0]?.bureauId, value(again[0], 'tasksDue')], ['b-ip', 4])
  t.equal(counts.reads, 1, 'a year whose prefix is final is folded once')

  const open = await reviewed(2026)
  t.equal(open[0]?.eventCount, leaves.length, 'the log ends within 2026')
  await reviewed(2026)
  t.equal(counts.reads, 3, 'a year still open is read again at every call: later events may still join it')
})

t.test('the sixteen finished years asked for most recently are kept', async (t) => {
  const { counts, reviewed } = await reviewer(t)
  const reads = async (year: number) => {
    const before = counts.reads
    await reviewed(year)
    return counts.reads - before
  }
  t.equal(await reads(2025), 1)
  // Years before the first event: each fold reads one event, recorded after that year ended.
  for (let year = 2000; year < 2015; year++) t.equal(await reads(year), 1, `${year} folded`)
  t.equal(await reads(2025), 0, 'sixteen kept: 2025 is one of them, and now the latest asked for')
  t.equal(await reads(2015), 1, 'a seventeenth lets go of the one asked for longest ago, 2000')
  t.equal(await reads(2025), 0, '2025 is still kept')
  t.equal(await reads(2001), 0, 'and so is 2001')
  t.equal(await reads(2000), 1, '2000 is folded again')
})

t.test('a bureau, the plan office and the secretariat are refused the annual review', async (t) => {
  const h = await gatewayHarness(t, { deps: { history, audit } })
  for (const who of ['bureau', 'planner', 'secretariat'] as const) {
    const { body } = await h.query(who, query, { year: 2025, bureauId: 'b-ip' })
    t.equal(body.errors?.[0]?.extensions?.code, 'FORBIDDEN', who)
    t.equal(body.data, null)
  }
})

t.test('without an event log the field answers REVIEW_UNAVAILABLE; a bad year is bad input', async (t) => {
  const h = await gatewayHarness(t, { deps: { history: undefined } })
  const { status, body } = await h.query('auditor', query, { year: 2025 })
  t.equal(body.errors?.[0]?.extensions?.code, 'REVIEW_UNAVAILABLE')
  t.equal(status, 503)
  const withLog = await gatewayHarness(t, { deps: { history } })
  const bad = await withLog.query('auditor', query, { year: 20250 })
  t.equal(bad.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT')
})

t.test('regression: an empty or overlong bureauId is a 400 BAD_USER_INPUT, not a review', async (t) => {
  const h = await gatewayHarness(t, { deps: { history, audit } })
  for (const bureauId of ['', 'b'.repeat(201)]) {
    const { status, body } = await h.query('auditor', query, { year: 2025, bureauId })
    t.equal(status, 400, `bureauId ${JSON.stringify(bureauId).slice(0, 12)}`)
    t.match(body, {
      data: null,
      errors: [{ message: /bureauId must be a non-empty string/, extensions: { code: 'BAD_USER_INPUT' } }],
    })
  }
  const literal = await h.query('supervisor', '{ annualReview(year: 2025, bureauId: "") { bureauId } }')
  t.equal(literal.status, 400, 'also written in the document')
  const every = await h.query('auditor', query, { year: 2025, bureauId: null })
  t.equal(every.status, 200, 'a null bureauId asks for every bureau')
  t.ok((every.body.data?.annualReview as unknown[]).length > 1)
})
