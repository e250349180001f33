import type { CommandActor } from '@coord/domain'
import type { TaskEvent } from '@coord/events'
import fc from 'fast-check'
import t from 'tap'
import {
  deadlineNotices,
  taskDecider,
  type Task,
  type TaskCommand,
  planningErrors,
} from '../../src/domain.ts'
import {
  auditor,
  bureau,
  commerce,
  culture,
  ipOffice,
  planner,
  publishData,
  resolutionBasis,
  secretariat,
  supervisor,
  system,
} from './fixtures.ts'
import { replaysToSameStates, walk, type Walk } from '@coord/domain/testing'

const bureauIds = ['ip-office', 'commerce', 'culture', 'market-supervision']
const bureaus = fc.constantFrom(ipOffice, commerce, culture, bureau('market-supervision'))
const anyone = fc.constantFrom<CommandActor>(
  planner,
  secretariat,
  supervisor,
  system,
  auditor,
  ipOffice,
  commerce,
  culture,
)
/** Mostly the actor a command is meant for, sometimes anyone, so refusals get exercised too. */
const actor = (...usual: fc.Arbitrary<CommandActor>[]) =>
  fc.oneof({ weight: 5, arbitrary: fc.oneof(...usual) }, { weight: 1, arbitrary: anyone })
const managers = fc.constantFrom(planner, secretariat, system)
const days = fc.constantFrom('2018-03-01', '2018-03-05', '2018-03-08', '2018-03-20')
const instants = fc.constantFrom(
  '2018-02-20T02:00:00Z',
  '2018-03-04T02:00:00Z',
  '2018-03-08T02:00:00Z',
  '2018-03-12T02:00:00Z',
)
const reason = fc.constantFrom('机构改革', '展会延期', '')
const ids = fc.uniqueArray(fc.constantFrom(...bureauIds), { maxLength: 3 })
/** Mostly a valid split of some bureaus into leads and partners, sometimes any two lists. */
const assignments = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .shuffledSubarray(bureauIds, { minLength: 1 })
      .chain((named) =>
        fc.nat(named.length - 1).map((k) => ({ leads: named.slice(0, k + 1), partners: named.slice(k + 1) })),
      ),
  },
  { weight: 1, arbitrary: fc.record({ leads: ids, partners: ids }) },
)

type Intent = { type: TaskCommand['type']; data: unknown; actor: CommandActor; now: string }

function intent(type: TaskCommand['type'], data: fc.Arbitrary<unknown>, who: fc.Arbitrary<CommandActor>) {
  return fc.record({ type: fc.constant(type), data, actor: who, now: instants })
}

const progress = fc.record({
  percent: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(-1, 101)),
  narrative: fc.constant('进展'),
  evidence: fc.constant([]),
})
const notice = fc.record({ deadline: fc.oneof(days, fc.constant('current')) })
const publish = intent(
  'PublishTask',
  fc.constantFrom(publishData, { ...publishData, basis: resolutionBasis }),
  actor(managers),
)

// Weighted toward the path from publication to close-out, so walks get deep; cancelling and
// suspending are rare, and mostly tried by someone not allowed to, because they end or pause a walk.
const weighted = (weight: number, arbitrary: fc.Arbitrary<Intent>) => ({ weight, arbitrary })

const intents: fc.Arbitrary<Intent> = fc.oneof(
  weighted(1, publish),
  weighted(3, intent('AssignTask', assignments, actor(managers))),
  weighted(6, intent('AcknowledgeTask', fc.constant({}), actor(bureaus))),
  weighted(2, intent('SetDeadline', fc.record({ deadline: days }), actor(managers, fc.constant(supervisor)))),
  weighted(
    1,
    intent('ChangeDeadline', fc.record({ deadline: days, reason }), actor(fc.constant(supervisor))),
  ),
  weighted(4, intent('ReportProgress', progress, actor(bureaus))),
  weighted(5, intent('SubmitCompletion', fc.constant({ summary: '办结', evidence: [] }), actor(bureaus))),
  weighted(4, intent('VerifyCompletion', fc.constant({}), actor(fc.constant(supervisor)))),
  weighted(1, intent('RejectCompletion', fc.record({ reason }), actor(fc.constant(supervisor)))),
  weighted(4, intent('CloseTask', fc.constant({}), actor(fc.constant(supervisor)))),
  weighted(1, intent('SuspendTask', fc.record({ reason }), anyone)),
  weighted(3, intent('ResumeTask', fc.record({ reason }), actor(fc.constant(planner)))),
  weighted(1, intent('CancelTask', fc.record({ reason }), anyone)),
  // 'current' stands for whatever deadline the task has when the notice is sent.
  weighted(2, intent('MarkDeadlineApproaching', notice, actor(fc.constant(system)))),
  weighted(2, intent('MarkDeadlineMissed', notice, actor(fc.constant(system)))),
)

/** Turns intents into commands against the evolving state, as a client that reads before it writes. */
function* commandsFor(script: Intent[], current: () => Task): Generator<TaskCommand> {
  for (const { type, data, actor, now } of script) {
    const state = current()
    const known = state.status === 'none' ? null : state.deadline
    const filled =
      (data as { deadline?: string }).deadline === 'current' ? { deadline: known ?? '2018-03-08' } : data
    yield { type, data: filled, metadata: { actor, now } } as TaskCommand
  }
}

function run(script: Intent[]): Walk<TaskCommand, TaskEvent, Task> {
  let state: Task = taskDecider.initialState
  const tracked = { ...taskDecider, evolve: (s: Task, e: TaskEvent) => (state = taskDecider.evolve(s, e)) }
  return walk(
    tracked,
    commandsFor(script, () => state),
    planningErrors,
  )
}

// Most scripts start with a publication, so that walks get past the first step.
const firstPublish = intent('PublishTask', fc.constant(publishData), fc.constantFrom(planner, system))
const scripts = fc
  .tuple(
    fc.option(firstPublish, { freq: 8 }),
    fc.array(intents, { minLength: 5, maxLength: 60, size: 'max' }),
  )
  .map(([first, rest]) => (first === null ? rest : [first, ...rest]))

// Walks are long and only some reach close-out; more runs than the default 100 reach it often.
const runs = { numRuns: 300 }

t.test('replaying the events a task decided rebuilds every state it went through', async (t) => {
  fc.assert(
    fc.property(scripts, (script) => replaysToSameStates(taskDecider, run(script))),
    runs,
  )
  t.pass('holds for generated command sequences')
})

t.test('a closed task never changes again', async (t) => {
  fc.assert(
    fc.property(scripts, (script) => {
      const { steps } = run(script)
      return steps.every((step) => step.before.status !== 'closed' || (step.events ?? []).length === 0)
    }),
    runs,
  )
  t.pass('no command records anything on a closed task')
})

t.test('every state a task passes through keeps its invariants', async (t) => {
  fc.assert(
    fc.property(scripts, (script) => {
      const { steps } = run(script)
      let everAssigned = false
      for (const { after, events } of steps) {
        everAssigned ||= (events ?? []).some((event) => event.type === 'TaskAssigned')
        if (after.status === 'none') continue
        if (Object.values(after.progress).some((percent) => percent < 0 || percent > 100)) return false
        if (everAssigned && after.leads.length === 0) return false
        if (after.leads.some((id) => after.partners.includes(id))) return false
        if (!after.acknowledgedBy.every((id) => after.leads.includes(id))) return false
        if (
          after.status === 'suspended' &&
          ['suspended', 'verified', 'closed', 'cancelled'].includes(after.resumeTo)
        ) {
          return false
        }
      }
      return true
    }),
    runs,
  )
  t.pass('percentages, assignments, signatures and suspensions stay consistent')
})

t.test('each deadline value gets at most one approaching and one missed notice', async (t) => {
  fc.assert(
    fc.property(scripts, (script) => {
      const notices = run(script).events.filter(
        (e) => e.type === 'DeadlineApproaching' || e.type === 'DeadlineMissed',
      )
      const keys = notices.map((e) => `${e.type} ${e.data.deadline}`)
      return new Set(keys).size === keys.length
    }),
    runs,
  )
  t.pass('no deadline was noticed twice')
})

t.test('the deadline watcher’s proposals are always accepted and never repeat', async (t) => {
  fc.assert(
    fc.property(scripts, instants, fc.integer({ min: 0, max: 30 }), (script, now, leadDays) => {
      const { state } = run(script)
      const proposed = deadlineNotices(state, now, leadDays)
      return proposed.every((command) => {
        const events = taskDecider.decide(command, state)
        const after = events.reduce((s, e) => taskDecider.evolve(s, e), state)
        return events.length === 1 && taskDecider.decide(command, after).length === 0
      })
    }),
    runs,
  )
  t.pass('each proposal records one notice, and proposing it again records none')
})
