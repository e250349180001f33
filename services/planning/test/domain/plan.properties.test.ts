import type { CommandActor } from '@coord/domain'
import type { PlanEvent } from '@coord/events'
import fc from 'fast-check'
import t from 'tap'
import { businessDay, planDecider, type Plan, type PlanCommand, planningErrors } from '../../src/domain.ts'
import { auditor, bureau, header, importData, patents, planner, secretariat, supervisor } from './fixtures.ts'
import { replaysToSameStates, walk, type Walk } from '@coord/domain/testing'

const anyone = fc.constantFrom<CommandActor>(planner, secretariat, supervisor, auditor, bureau('ip-office'))
const actor = (usual: fc.Arbitrary<CommandActor>) =>
  fc.oneof({ weight: 5, arbitrary: usual }, { weight: 1, arbitrary: anyone })
const reporters = fc.constantFrom(
  planner,
  bureau('ip-office'),
  bureau('market-supervision'),
  bureau('commerce'),
)
const instants = fc.constantFrom('2017-12-31T02:00:00Z', '2018-06-30T02:00:00Z', '2019-12-31T02:00:00Z')
const reason = fc.constantFrom('更正', '')
const software = {
  metric: '软件著作权新增登记量',
  text: '新增1.8万件',
  value: 1.8,
  unit: '万件',
  deadline: '2019',
}

type Intent = { type: PlanCommand['type']; data: unknown; actor: CommandActor; now: string }
const intent = (type: PlanCommand['type'], data: fc.Arbitrary<unknown>, who: fc.Arbitrary<CommandActor>) =>
  fc.record({ type: fc.constant(type), data, actor: who, now: instants })

const importPlan = intent(
  'ImportPlan',
  fc.constantFrom(importData, { ...importData, source: { sha256: 'cd'.repeat(32) } }),
  actor(fc.constant(planner)),
)

const amendments = fc.record({
  reason,
  changes: fc.constantFrom<object>(
    { title: '新标题' },
    { title: header.title },
    { period: { from: '2017', to: '2020' } },
    { docNumber: '浦府〔2017〕95号', issuer: header.issuer },
    {},
    { issueDate: '2017-13-01' },
  ),
})

const targets = fc.constantFrom<object>(
  software,
  { ...patents, value: 50 },
  { ...patents, value: 45, deadline: '2018' },
  patents,
)

const measurements = fc.record(
  {
    targetId: fc.constantFrom('T1', 'T2', 'T3', 'T5'),
    value: fc.integer({ min: 0, max: 400 }),
    asOf: fc.constantFrom('2017-12-31', '2018-06-30', '2019-06-30', '2019-12-31'),
    bureauId: fc.constantFrom('ip-office', 'market-supervision'),
  },
  { requiredKeys: ['targetId', 'value', 'asOf'] },
)

// Measurements carry the most rules, so they are tried most often.
const intents: fc.Arbitrary<Intent> = fc.oneof(
  importPlan,
  intent('IssuePlan', fc.constant({}), actor(fc.constant(planner))),
  intent('AmendPlan', amendments, actor(fc.constant(planner))),
  intent(
    'DefineGoal',
    fc.record({ text: fc.constantFrom('保护效果显著提升', '创造能力显著增强', '') }),
    actor(fc.constant(planner)),
  ),
  intent('DefineTarget', targets, actor(fc.constant(planner))),
  { weight: 3, arbitrary: intent('ReportTargetMeasurement', measurements, actor(reporters)) },
)

const scripts = fc
  .tuple(fc.option(importPlan, { freq: 8 }), fc.array(intents, { minLength: 3, maxLength: 40, size: 'max' }))
  .map(([first, rest]) => (first === null ? rest : [first, ...rest]))

function run(script: Intent[]): Walk<PlanCommand, PlanEvent, Plan> {
  const commands = script.map(
    ({ type, data, actor, now }) => ({ type, data, metadata: { actor, now } }) as PlanCommand,
  )
  return walk(planDecider, commands, planningErrors)
}

t.test('replaying the events a plan decided rebuilds every state it went through', async (t) => {
  fc.assert(fc.property(scripts, (script) => replaysToSameStates(planDecider, run(script))))
  t.pass('holds for generated command sequences')
})

t.test('goals and targets are numbered in order and never defined twice', async (t) => {
  fc.assert(
    fc.property(scripts, (script) => {
      const { state } = run(script)
      if (state.status === 'none') return true
      const slots = state.targets.map((target) => `${target.metric} ${target.deadline}`)
      return (
        state.targets.every((target, i) => target.targetId === `T${i + 1}`) &&
        state.goals.every((goal, i) => goal.goalId === `G${i + 1}`) &&
        new Set(slots).size === slots.length &&
        new Set(state.goals.map((goal) => goal.text)).size === state.goals.length
      )
    }),
  )
  t.pass('ids are dense and definitions unique')
})

t.test('an issued plan stays issued and counts every amendment', async (t) => {
  fc.assert(
    fc.property(scripts, (script) => {
      const { steps, events, state } = run(script)
      const amended = events.filter((event) => event.type === 'PlanAmended').length
      const stayed = steps.every((step) => step.before.status !== 'issued' || step.after.status === 'issued')
      return stayed && (state.status === 'none' || state.amendments === amended)
    }),
  )
  t.pass('issue is final and the amendment count matches the history')
})

t.test('measurements are recorded only on issued plans, by bureaus allowed to, up to today', async (t) => {
  fc.assert(
    fc.property(scripts, (script) =>
      run(script).steps.every(({ before, events, command }) =>
        (events ?? []).every((event) => {
          if (event.type !== 'TargetMeasurementReported') return true
          if (before.status !== 'issued') return false
          const target = before.targets.find((known) => known.targetId === event.data.targetId)
          const listed = target?.reportingBureauIds ?? []
          const allowed =
            event.data.bureauId === null || listed.length === 0 || listed.includes(event.data.bureauId)
          return (
            target !== undefined && allowed && event.data.asOf <= (businessDay(command.metadata.now) ?? '')
          )
        }),
      ),
    ),
  )
  t.pass('no measurement escaped its rules')
})

t.test('a target shows its most recent measurement, whatever order reports arrive in', async (t) => {
  fc.assert(
    fc.property(scripts, (script) => {
      const { events, state } = run(script)
      if (state.status === 'none') return true
      return state.targets.every((target) => {
        const dates = events.flatMap((e) =>
          e.type === 'TargetMeasurementReported' && e.data.targetId === target.targetId ? [e.data.asOf] : [],
        )
        const latest = dates.length === 0 ? null : dates.reduce((a, b) => (a > b ? a : b))
        return (target.latest?.asOf ?? null) === latest
      })
    }),
  )
  t.pass('latest is the maximum asOf reported')
})
