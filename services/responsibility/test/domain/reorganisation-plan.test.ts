import { fold } from '@coord/domain'
import type { DutyListEvent, ReorganisationDecision } from '@coord/events/responsibility'
import t from 'tap'
import { dutyListDecider, type ExistingList } from '../../src/domain.ts'
import { OpenTasks, reorganisationPlan } from '../../src/index.ts'
import { merge, published, transferredAway } from './fixtures.ts'

function list(events: DutyListEvent[]): ExistingList {
  const state = fold(dutyListDecider, events)
  if (state.status === 'none') throw new Error('no list')
  return state
}

const tasks = new OpenTasks()
const task = (taskId: string, leads: string[], partners: string[]) => {
  const streamId = `task-pudong-ip-2017/${taskId}`
  tasks.apply({ streamId, type: 'TaskPublished', data: {} })
  tasks.apply({ streamId, type: 'TaskAssigned', data: { leads, partners } })
  return streamId
}
const fair = task('三.(二).7', ['ip-office'], ['commerce'])
const both = task('三.(一).1', ['market'], ['ip-office', 'commerce'])
const closed = task('三.(一).2', ['ip-office'], [])
tasks.apply({ streamId: closed, type: 'TaskClosed', data: {} })
task('三.(一).3', ['commerce'], [])

const mergeDecision: ReorganisationDecision = { type: 'BureausMerged', data: merge }
const lists = (bureauId: string) => (bureauId === 'ip-office' ? [list(published)] : [])

t.test('a merge dissolves, then moves each duty and each open task, in that order', async (t) => {
  const plan = reorganisationPlan(mergeDecision, lists, (id) => tasks.of(id))
  t.same(
    plan.map((step) => step.step),
    [
      'dissolve:ip-office',
      'transfer:ip-office:power:IP-P-001',
      'receive:market:power:IP-P-001',
      'transfer:ip-office:power:IP-P-002',
      'receive:market:power:IP-P-002',
      `assign:${fair}`,
      `assign:${both}`,
    ],
  )
  t.same(plan[0]?.command, {
    type: 'DissolveBureau',
    data: {
      reorganisationId: 'reform-2019',
      successorIds: ['market'],
      effectiveDate: '2019-01-01',
      reason: merge.reason,
    },
  })
  t.same(plan[2]?.command.data, {
    bureauId: 'market',
    listKind: 'power',
    dutyId: 'IP-P-001',
    duty: {
      title: '专利侵权纠纷行政裁决',
      category: '行政裁决',
      legalBasis: '《中华人民共和国专利法》第六十条',
    },
    fromBureauId: 'ip-office',
    effectiveDate: '2019-01-01',
    reason: merge.reason,
    reorganisationId: 'reform-2019',
  })
})

t.test('a task keeps its order of bureaus, the successor in the old one’s place, never twice', async (t) => {
  const plan = reorganisationPlan(mergeDecision, lists, (id) => tasks.of(id))
  const cause = { kind: 'reorganisation', id: 'reform-2019' }
  t.same(plan.find((s) => s.streamId === fair)?.command.data, {
    leads: ['market'],
    partners: ['commerce'],
    cause,
  })
  t.same(plan.find((s) => s.streamId === both)?.command.data, {
    leads: ['market'],
    partners: ['commerce'],
    cause,
  })
  t.notOk(
    plan.some((s) => s.streamId === closed),
    'a closed task is left alone',
  )
})

t.test(
  'a duty already moved away by someone else is not moved; one moved by this reorganisation is finished',
  async (t) => {
    const byOthers = reorganisationPlan(
      mergeDecision,
      () => [list(transferredAway)],
      () => [],
    )
    t.notOk(
      byOthers.some((s) => s.step.endsWith('IP-P-002')),
      'transferred before the reorganisation',
    )
    const halfway: DutyListEvent[] = [
      ...published,
      {
        type: 'DutyTransferred',
        data: {
          dutyId: 'IP-P-001',
          fromBureauId: 'ip-office',
          toBureauId: 'market',
          effectiveDate: '2019-01-01',
          reason: merge.reason,
          reorganisationId: 'reform-2019',
        },
      },
    ]
    const again = reorganisationPlan(
      mergeDecision,
      () => [list(halfway)],
      () => [],
    )
    t.ok(
      again.some((s) => s.step === 'receive:market:power:IP-P-001'),
      'the receipt is planned again',
    )
  },
)

t.test('a duty amended with effect after the merge moves when that wording takes effect', async (t) => {
  const amended: DutyListEvent[] = [
    ...published,
    {
      type: 'DutyAmended',
      data: {
        dutyId: 'IP-P-001',
        title: 't',
        category: 'c',
        legalBasis: 'l',
        effectiveDate: '2019-03-01',
        reason: 'r',
      },
    },
  ]
  const plan = reorganisationPlan(
    mergeDecision,
    () => [list(amended)],
    () => [],
  )
  const transfer = plan.find((s) => s.step === 'transfer:ip-office:power:IP-P-001')
  t.equal((transfer?.command.data as { effectiveDate: string }).effectiveDate, '2019-03-01')
})

t.test(
  'a split sends duties and tasks where the allocations say, the rest to the first successor',
  async (t) => {
    const split: ReorganisationDecision = {
      type: 'BureauSplit',
      data: {
        reorganisationId: 'split-2019',
        fromBureauId: 'ip-office',
        intoBureauIds: ['market', 'copyright'],
        dutyAllocation: { 'IP-P-002': 'copyright' },
        taskAllocation: { 'pudong-ip-2017/三.(二).7': 'copyright' },
        effectiveDate: '2019-01-01',
        reason: '职能分设',
      },
    }
    const plan = reorganisationPlan(split, lists, (id) => tasks.of(id))
    const steps = plan.map((s) => s.step)
    t.ok(steps.includes('receive:market:power:IP-P-001'))
    t.ok(steps.includes('receive:copyright:power:IP-P-002'))
    t.same(plan[0]?.command.data, {
      reorganisationId: 'split-2019',
      successorIds: ['market', 'copyright'],
      effectiveDate: '2019-01-01',
      reason: '职能分设',
    })
    t.same((plan.find((s) => s.streamId === fair)?.command.data as { leads: string[] }).leads, ['copyright'])
    t.same((plan.find((s) => s.streamId === both)?.command.data as { partners: string[] }).partners, [
      'commerce',
    ])
  },
)

t.test('a rename by reorganisation is one rename of the bureau, naming the reorganisation', async (t) => {
  const decision: ReorganisationDecision = {
    type: 'BureauRenameDecided',
    data: {
      reorganisationId: 'r',
      bureauId: 'ip-office',
      nameZh: 'z',
      nameEn: 'e',
      shortName: 's',
      effectiveDate: '2017-01-01',
      reason: 'why',
    },
  }
  t.same(
    reorganisationPlan(decision, lists, () => []),
    [
      {
        step: 'rename:ip-office',
        aggregate: 'bureau',
        streamId: 'bureau-ip-office',
        command: {
          type: 'RenameBureau',
          data: {
            nameZh: 'z',
            nameEn: 'e',
            shortName: 's',
            effectiveDate: '2017-01-01',
            reason: 'why',
            reorganisationId: 'r',
          },
        },
      },
    ],
  )
})
