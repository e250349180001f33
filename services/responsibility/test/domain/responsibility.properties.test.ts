import { DomainError } from '@coord/domain'
import {
  bureauStreamId,
  dutyListStreamId,
  reorganisationStreamId,
  type BureauKind,
  type ListKind,
} from '@coord/events/responsibility'
import fc from 'fast-check'
import t from 'tap'
import { foldResponsibility } from '../../src/as-of/as-of.ts'
import { holdingsOf, type ExistingList, type Holding } from '../../src/domain.ts'
import { planner } from './fixtures.ts'
import { World } from './world.ts'

// Whole-registry properties: random sequences of publications, additions, amendments,
// revocations, transfers (source and receipt, as the route runs them) and reorganisations (as
// the process manager carries them out), with the facts read as the edge reads them.

const bureaus = ['a', 'b', 'c'] as const
const days = fc.constantFrom('2015-06-01', '2016-01-01', '2017-01-01', '2018-01-01', '2019-01-01')
const bureau = fc.constantFrom(...bureaus)
const duty = fc.constantFrom('D1', 'D2', 'D3', 'D4')
const kind = fc.constantFrom<ListKind>('power', 'responsibility')
const wording = (dutyId: string, n = 0) => ({
  title: `${dutyId} 第${n}版`,
  category: '行政许可',
  legalBasis: '《行政许可法》',
})

type Step =
  | { op: 'publish'; bureau: string; kind: ListKind; duties: string[]; day: string }
  | { op: 'add' | 'revoke'; bureau: string; kind: ListKind; duty: string; day: string }
  | { op: 'amend'; bureau: string; kind: ListKind; duty: string; day: string; n: number }
  | { op: 'transfer'; bureau: string; kind: ListKind; duty: string; to: string; day: string }
  | { op: 'merge'; from: string; into: string; day: string }
  | { op: 'split'; from: string; day: string }

const steps: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant('publish' as const),
    bureau,
    kind,
    duties: fc.subarray(['D1', 'D2', 'D3', 'D4']),
    day: days,
  }),
  fc.record({ op: fc.constantFrom('add' as const, 'revoke' as const), bureau, kind, duty, day: days }),
  fc.record({ op: fc.constant('amend' as const), bureau, kind, duty, day: days, n: fc.nat(3) }),
  fc.record({ op: fc.constant('transfer' as const), bureau, kind, duty, to: bureau, day: days }),
  fc.record({ op: fc.constant('merge' as const), from: bureau, into: bureau, day: days }),
  fc.record({ op: fc.constant('split' as const), from: bureau, day: days }),
)

let reorganisations = 0

async function apply(world: World, step: Step): Promise<void> {
  const reason = '测试'
  const list = 'bureau' in step ? dutyListStreamId(step.bureau, step.kind) : ''
  switch (step.op) {
    case 'publish': {
      const duties = step.duties.map((dutyId) => ({ dutyId, ...wording(dutyId) }))
      const data = { bureauId: step.bureau, listKind: step.kind, effectiveDate: step.day, reason, duties }
      return void (await world.list(list, { type: 'PublishList', data }, planner))
    }
    case 'add':
      return void (await world.list(
        list,
        {
          type: 'AddDuty',
          data: { dutyId: step.duty, ...wording(step.duty), effectiveDate: step.day, reason },
        },
        planner,
      ))
    case 'revoke':
      return void (await world.list(
        list,
        { type: 'RevokeDuty', data: { dutyId: step.duty, effectiveDate: step.day, reason } },
        planner,
      ))
    case 'amend': {
      const data = { dutyId: step.duty, changes: wording(step.duty, step.n), effectiveDate: step.day, reason }
      return void (await world.list(list, { type: 'AmendDuty', data }, planner))
    }
    case 'transfer':
      return transfer(world, step)
    case 'merge':
    case 'split': {
      const reorganisationId = `r${(reorganisations += 1)}`
      const others = bureaus.filter((b) => b !== step.from)
      const intent =
        step.op === 'merge'
          ? {
              type: 'MergeBureaus' as const,
              data: {
                reorganisationId,
                fromBureauIds: [step.from],
                intoBureauId: step.into,
                effectiveDate: step.day,
                reason,
              },
            }
          : {
              type: 'SplitBureau' as const,
              data: {
                reorganisationId,
                fromBureauId: step.from,
                intoBureauIds: others,
                effectiveDate: step.day,
                reason,
              },
            }
      const [decision] = await world.reorganisation(reorganisationStreamId(reorganisationId), intent, planner)
      if (decision && decision.type !== 'ReorganisationCompleted') await world.carryOut(decision)
      return
    }
  }
}

async function transfer(world: World, step: Extract<Step, { op: 'transfer' }>): Promise<void> {
  const source = dutyListStreamId(step.bureau, step.kind)
  const data = { dutyId: step.duty, toBureauId: step.to, effectiveDate: step.day, reason: '划转' }
  await world.list(source, { type: 'TransferDuty', data }, planner)
  const list = foldResponsibility(world.events).lists.get(source) as ExistingList
  const duty = list.duties[step.duty]?.findLast((v) => v.content !== null)?.content
  if (!duty) throw new Error('a transferred duty has no content')
  const receipt = { bureauId: step.to, listKind: step.kind, duty, fromBureauId: step.bureau, ...data }
  await world.list(dutyListStreamId(step.to, step.kind), { type: 'ReceiveDuty', data: receipt }, planner)
}

async function run(script: Step[]): Promise<World> {
  const world = new World()
  const kinds: BureauKind[] = ['委办局', '街镇', '直属公司']
  for (const [i, id] of bureaus.entries()) {
    const data = {
      bureauId: id,
      nameZh: `${id}局`,
      nameEn: id,
      shortName: id,
      kind: kinds[i] ?? '委办局',
      parentId: null,
      effectiveDate: '2015-01-01',
    }
    await world.bureau(bureauStreamId(id), { type: 'RegisterBureau', data }, planner)
  }
  for (const step of script) {
    try {
      await apply(world, step)
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
    }
  }
  return world
}

const overlap = (x: Holding, y: Holding) =>
  (x.until === null || y.from < x.until) && (y.until === null || x.from < y.until)
const scripts = fc.array(steps, { minLength: 1, maxLength: 30 })
const runs = { numRuns: 150 }

t.test("a duty is on one bureau's list at most, on any day", async (t) => {
  await fc.assert(
    fc.asyncProperty(scripts, async (script) => {
      const holdings = [...foldResponsibility((await run(script)).events).lists.values()].flatMap(holdingsOf)
      return holdings.every((x, i) =>
        holdings.every((y, j) => i === j || x.dutyId !== y.dutyId || !overlap(x, y)),
      )
    }),
    runs,
  )
  t.pass('no two lists hold a duty on the same day')
})

t.test('a duty leaves a list by a transfer only when the target takes it up the same day', async (t) => {
  await fc.assert(
    fc.asyncProperty(scripts, async (script) => {
      const { lists } = foldResponsibility((await run(script)).events)
      const all = [...lists.values()]
      return all.every((list) =>
        Object.entries(list.duties).every(([dutyId, versions]) =>
          versions.every(
            (out) =>
              out.change !== 'transferred' ||
              all.some(
                (target) =>
                  target.bureauId === out.counterpart &&
                  target.listKind === list.listKind &&
                  (target.duties[dutyId] ?? []).some(
                    (v) => v.change === 'received' && v.counterpart === list.bureauId && v.from === out.from,
                  ),
              ),
          ),
        ),
      )
    }),
    runs,
  )
  t.pass('every transfer hands the duty over without a gap')
})

t.test('a merged or split bureau takes no duties from its end date on, and keeps none past it', async (t) => {
  await fc.assert(
    fc.asyncProperty(scripts, async (script) => {
      const { bureaus: folded, lists } = foldResponsibility((await run(script)).events)
      const holdings = [...lists.values()].flatMap(holdingsOf)
      return [...folded.values()].every((b) => {
        const end = b.dissolution?.on
        if (end === undefined) return true
        return holdings
          .filter((h) => h.bureauId === b.bureauId)
          .every((h) => h.from < end && h.until !== null)
      })
    }),
    runs,
  )
  t.pass('dissolved bureaus hold nothing from their end on')
})
