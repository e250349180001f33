import type { CommandActor } from '@coord/domain'
import fc from 'fast-check'
import { responsibilityEventTypes } from '@coord/events/responsibility'
import t from 'tap'
import {
  bureauDecider,
  dutyListDecider,
  reorganisationDecider,
  type BureauCommand,
  type DutyListCommand,
  type Holding,
  type ReorganisationCommand,
  type Span,
  responsibilityErrors,
} from '../../src/domain.ts'
import { bureauClerk, planner, system } from './fixtures.ts'
import { replaysToSameStates, walk } from '@coord/domain/testing'

// Random command sequences against each aggregate, with random facts as the edge might read them:
// every refusal is a catalogued error, nothing mutates a state it was given, and folding the
// stored events (after a JSON round trip) rebuilds every state the aggregate went through.

const runs = { numRuns: 300 }
const days = fc.constantFrom(
  '2015-01-01',
  '2016-01-01',
  '2017-01-01',
  '2018-01-01',
  '2019-01-01',
  '2015-02-30',
)
const actors = fc.constantFrom<CommandActor>(planner, planner, planner, system, bureauClerk)
const reasons = fc.constantFrom('机构改革', '法律修订', '')
/** Mostly a bureau that exists throughout, sometimes one that starts late, ends, or is unknown. */
const spans: fc.Arbitrary<Span | null> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ from: '2014-01-01', until: null }) },
  { weight: 1, arbitrary: fc.constant({ from: '2016-06-01', until: null }) },
  { weight: 1, arbitrary: fc.constant({ from: '2014-01-01', until: '2018-06-01' }) },
  { weight: 1, arbitrary: fc.constant(null) },
)
const dutyIds = fc.constantFrom('D1', 'D2', 'D3')
const bureauIds = fc.constantFrom('a', 'b', 'c')
const content = fc.record({
  title: fc.constantFrom('专利执法', '商标执法', '专利执法', '商标执法', ''),
  category: fc.constant('行政处罚'),
  legalBasis: fc.constantFrom('《专利法》', '《商标法》'),
})
const holdings = fc.oneof(
  { weight: 4, arbitrary: fc.constant([]) },
  {
    weight: 1,
    arbitrary: fc.array(
      fc.record({
        dutyId: dutyIds,
        bureauId: fc.constantFrom('x', 'a'),
        listKind: fc.constant('power' as const),
        from: fc.constant('2015-01-01'),
        until: fc.constantFrom(null, '2017-01-01'),
      }),
      { maxLength: 2 },
    ),
  },
) as fc.Arbitrary<Holding[]>
const listFacts = fc.record({ bureau: spans, elsewhere: holdings })
const meta = (actor: CommandActor) => ({ actor, now: '2018-03-01T02:00:00.000Z' })

// Values are sometimes invalid on purpose; the deciders must refuse them with a catalogued code.
const bureauCommands = fc.oneof(
  fc.record({
    type: fc.constant('RegisterBureau' as const),
    data: fc.record({
      bureauId: fc.constant('a'),
      nameZh: fc.constantFrom('知识产权局', '市场监管局'),
      nameEn: fc.constant('IP Office'),
      shortName: fc.constant('知识产权局'),
      kind: fc.constantFrom('委办局' as const, '街镇' as const),
      parentId: fc.constantFrom(null, 'p'),
      effectiveDate: days,
    }),
    facts: fc.record({ parent: spans }),
    metadata: actors.map(meta),
  }),
  fc.record({
    type: fc.constant('RenameBureau' as const),
    data: fc.record({
      nameZh: fc.constantFrom('甲', '乙', '丙'),
      nameEn: fc.constant('x'),
      shortName: fc.constant('x'),
      effectiveDate: days,
      reason: reasons,
    }),
    metadata: actors.map(meta),
  }),
  fc.record({
    type: fc.constant('DissolveBureau' as const),
    data: fc.record({
      reorganisationId: fc.constantFrom('r1', 'r2'),
      successorIds: fc.constantFrom(['b'], ['a'], []),
      effectiveDate: days,
      reason: reasons,
    }),
    metadata: actors.map(meta),
  }),
) as fc.Arbitrary<BureauCommand>

// Values are sometimes invalid on purpose; the deciders must refuse them with a catalogued code.
const listCommands = fc.oneof(
  fc.record({
    type: fc.constant('PublishList' as const),
    data: fc.record({
      bureauId: fc.constant('a'),
      listKind: fc.constant('power' as const),
      effectiveDate: days,
      reason: reasons,
      duties: fc.uniqueArray(
        fc.tuple(dutyIds, content).map(([dutyId, c]) => ({ dutyId, ...c })),
        { maxLength: 3, selector: (d) => d.dutyId },
      ),
    }),
    facts: listFacts,
    metadata: actors.map(meta),
  }),
  fc.record({
    type: fc.constant('AddDuty' as const),
    data: fc
      .tuple(dutyIds, content, days, reasons)
      .map(([dutyId, c, effectiveDate, reason]) => ({ dutyId, ...c, effectiveDate, reason })),
    facts: listFacts,
    metadata: actors.map(meta),
  }),
  fc.record({
    type: fc.constant('AmendDuty' as const),
    data: fc.record({
      dutyId: dutyIds,
      changes: fc.record({ title: fc.constantFrom('新职责', '专利执法') }, { requiredKeys: [] }),
      effectiveDate: days,
      reason: reasons,
    }),
    facts: fc.record({ bureau: spans }),
    metadata: actors.map(meta),
  }),
  fc.record({
    type: fc.constant('RevokeDuty' as const),
    data: fc.record({ dutyId: dutyIds, effectiveDate: days, reason: reasons }),
    metadata: actors.map(meta),
  }),
  fc.record({
    type: fc.constant('TransferDuty' as const),
    data: fc.record({ dutyId: dutyIds, toBureauId: bureauIds, effectiveDate: days, reason: reasons }),
    facts: fc.record({ target: spans }),
    metadata: actors.map(meta),
  }),
  fc.record({
    type: fc.constant('ReceiveDuty' as const),
    data: fc.record({
      bureauId: fc.constant('a'),
      listKind: fc.constant('power' as const),
      dutyId: dutyIds,
      duty: content,
      fromBureauId: bureauIds,
      effectiveDate: days,
      reason: reasons,
    }),
    facts: listFacts,
    metadata: actors.map(meta),
  }),
) as fc.Arbitrary<DutyListCommand>

const reorganisationFacts = fc.record({
  bureaus: fc.record({ a: spans, b: spans, c: spans }, { requiredKeys: ['a', 'b'] }),
  lastChanges: fc.record({ a: fc.constantFrom(null, '2015-01-01', '2018-01-01') }),
  namedFrom: fc.record({ a: fc.constantFrom(null, '2015-01-01', '2018-01-01') }),
})
const common = { reorganisationId: fc.constantFrom('r1', 'r2'), effectiveDate: days, reason: reasons }
// Values are sometimes invalid on purpose; the deciders must refuse them with a catalogued code.
const reorganisationCommands = fc.oneof(
  fc.record({
    type: fc.constant('MergeBureaus' as const),
    data: fc.record({
      ...common,
      fromBureauIds: fc.uniqueArray(bureauIds, { maxLength: 2 }),
      intoBureauId: bureauIds,
    }),
    facts: reorganisationFacts,
    metadata: actors.map(meta),
  }),
  fc.record({
    type: fc.constant('SplitBureau' as const),
    data: fc.record({
      ...common,
      fromBureauId: fc.constantFrom('a', 'a', 'b'),
      intoBureauIds: fc.constantFrom(['b', 'c'], ['c', 'b'], ['a', 'c'], ['b']),
      dutyAllocation: fc.dictionary(dutyIds, bureauIds, { maxKeys: 2 }),
    }),
    facts: reorganisationFacts,
    metadata: actors.map(meta),
  }),
  fc.record({
    type: fc.constant('RenameBureauByReorganisation' as const),
    data: fc.record({
      ...common,
      bureauId: bureauIds,
      nameZh: fc.constant('新局'),
      nameEn: fc.constant('New'),
      shortName: fc.constant('新局'),
    }),
    facts: reorganisationFacts,
    metadata: actors.map(meta),
  }),
  fc.record({
    type: fc.constant('CompleteReorganisation' as const),
    data: fc.record({ steps: fc.nat(5), refused: fc.constant([]) }),
    metadata: fc.constantFrom(system, planner).map(meta),
  }),
) as fc.Arbitrary<ReorganisationCommand>

const script = <C>(commands: fc.Arbitrary<C>, first?: fc.Arbitrary<C>) =>
  fc
    .tuple(
      first ? fc.option(first, { freq: 6 }) : fc.constant(null),
      fc.array(commands, { minLength: 1, maxLength: 40 }),
    )
    .map(([head, rest]) => (head === null ? rest : [head, ...rest]))

/** Most list walks start with a valid publication, so that they get past the first step. */
const firstPublish = fc.constant({
  type: 'PublishList',
  data: {
    bureauId: 'a',
    listKind: 'power',
    effectiveDate: '2015-01-01',
    reason: '首次公布',
    duties: [
      { dutyId: 'D1', title: '专利执法', category: '行政处罚', legalBasis: '《专利法》' },
      { dutyId: 'D2', title: '商标执法', category: '行政处罚', legalBasis: '《商标法》' },
    ],
  },
  facts: { bureau: { from: '2014-01-01', until: null }, elsewhere: [] },
  metadata: meta(planner),
}) as fc.Arbitrary<DutyListCommand>

t.test('replaying a bureau’s events rebuilds every state it went through', async (t) => {
  fc.assert(
    fc.property(script(bureauCommands), (s) =>
      replaysToSameStates(bureauDecider, walk(bureauDecider, s, responsibilityErrors)),
    ),
    runs,
  )
  t.pass('holds')
})

t.test('replaying a list’s events rebuilds every state it went through', async (t) => {
  fc.assert(
    fc.property(script(listCommands, firstPublish), (s) =>
      replaysToSameStates(dutyListDecider, walk(dutyListDecider, s, responsibilityErrors)),
    ),
    runs,
  )
  t.pass('holds')
})

t.test('replaying a reorganisation’s events rebuilds every state it went through', async (t) => {
  fc.assert(
    fc.property(script(reorganisationCommands), (s) =>
      replaysToSameStates(reorganisationDecider, walk(reorganisationDecider, s, responsibilityErrors)),
    ),
    runs,
  )
  t.pass('holds')
})

t.test(
  'a duty’s versions on a list never go back in time: history is appended to, not rewritten',
  async (t) => {
    fc.assert(
      fc.property(script(listCommands, firstPublish), (s) => {
        const { state } = walk(dutyListDecider, s, responsibilityErrors)
        if (state.status === 'none') return true
        return Object.values(state.duties).every((versions) =>
          versions.every((v, i) => i === 0 || (versions[i - 1]?.from ?? '') <= v.from),
        )
      }),
      runs,
    )
    t.pass('holds')
  },
)

t.test('a bureau’s names never go back in time, and it never ends before it began', async (t) => {
  fc.assert(
    fc.property(script(bureauCommands), (s) => {
      const { state } = walk(bureauDecider, s, responsibilityErrors)
      if (state.status === 'none') return true
      const ordered = state.names.every((n, i) => i === 0 || (state.names[i - 1]?.from ?? '') <= n.from)
      const last = state.names.at(-1)?.from ?? ''
      return (
        ordered &&
        (state.dissolution === null ||
          (state.dissolution.on > state.registeredOn && state.dissolution.on >= last))
      )
    }),
    runs,
  )
  t.pass('holds')
})

// Guards the generators: properties over walks that never get anywhere would prove nothing.
t.test('the generated walks reach every event type of each aggregate', async (t) => {
  const seen = new Set<string>()
  for (const s of fc.sample(script(bureauCommands), 300))
    for (const e of walk(bureauDecider, s, responsibilityErrors).events) seen.add(e.type)
  for (const s of fc.sample(script(listCommands, firstPublish), 300))
    for (const e of walk(dutyListDecider, s, responsibilityErrors).events) seen.add(e.type)
  for (const s of fc.sample(script(reorganisationCommands), 300))
    for (const e of walk(reorganisationDecider, s, responsibilityErrors).events) seen.add(e.type)
  t.same([...seen].sort(), [...responsibilityEventTypes].sort())
})
