import type { CommandActor } from '@coord/domain'
import type { MeetingEvent } from '@coord/events/meetings'
import { isDeepStrictEqual } from 'node:util'
import fc from 'fast-check'
import t from 'tap'
import { meetingDecider, type JointMeeting, type MeetingCommand, meetingsErrors } from '../../src/domain.ts'
import {
  auditor,
  exhibitionInput,
  exhibitionText,
  ipOffice,
  planId,
  planner,
  scheduleData,
  secretariat,
  supervisor,
  system,
} from './fixtures.ts'
import { replaysToSameStates, walk, type Walk } from '@coord/domain/testing'

const anyone = fc.constantFrom<CommandActor>(secretariat, planner, supervisor, auditor, system, ipOffice)
/** Mostly the secretariat, sometimes anyone, so refusals get exercised too. */
const actor = fc.oneof({ weight: 6, arbitrary: fc.constant(secretariat) }, { weight: 1, arbitrary: anyone })
// Around the meeting day (2018-03-15 in Shanghai): the eve, the day itself, and after.
const instants = fc.constantFrom(
  '2018-03-14T15:30:00Z',
  '2018-03-15T02:00:00Z',
  '2018-03-20T02:00:00Z',
  '2018-04-02T02:00:00Z',
)
const days = fc.constantFrom('2018-03-14', '2018-03-15', '2018-03-20', '2018-06-30', '2018-11-05')
const bureauIds = ['ip-office', 'commerce', 'finance', 'culture']
const texts = fc.constantFrom('设立保护工作站', '制定风险补偿办法', '开展专利导航', '')
const reasons = fc.constantFrom('纪要笔误', '以会议录音为准', '')

const split = fc
  .shuffledSubarray(bureauIds, { minLength: 0, maxLength: 3 })
  .chain((named) => fc.nat(named.length).map((k) => ({ leads: named.slice(0, k), partners: named.slice(k) })))
const effects = fc.oneof(
  fc
    .record({
      kind: fc.constant('assign-work' as const),
      planId: fc.constant(planId),
      title: texts,
      deadline: fc.option(days, { nil: null }),
    })
    .chain((work) => split.map((bureaus) => ({ ...work, ...bureaus }))),
  days.map((deadline) => ({ ...exhibitionInput, deadline })),
  fc.record({
    kind: fc.constant('change-deadline' as const),
    planId: fc.constant(planId),
    taskId: fc.constantFrom('三.(二).7', '三.(二).8'),
    deadline: days,
    reason: reasons,
  }),
  split.map((bureaus) => ({
    kind: 'change-responsibility' as const,
    planId,
    taskId: '三.(三).9',
    ...bureaus,
  })),
  fc.record({
    kind: fc.constant('transfer-duty' as const),
    fromBureauId: fc.constant('market-supervision'),
    listKind: fc.constantFrom('power' as const, 'responsibility' as const),
    dutyId: fc.constantFrom('patent-enforcement', 'trademark-archive'),
    toBureauId: fc.constantFrom('ip-office', 'culture'),
    effectiveDate: days,
  }),
  fc.constant({ kind: 'record-position' as const }),
)
const entries = fc.uniqueArray(
  fc.record({
    bureauId: fc.constantFrom(...bureauIds),
    status: fc.constantFrom('present', 'absent', 'delegated'),
    delegate: fc.option(fc.constant('副处长'), { nil: undefined }),
  }),
  { selector: (entry) => entry.bureauId, maxLength: 3 },
)

type Intent = { type: MeetingCommand['type']; data: unknown; actor: CommandActor; now: string }
const intent = (type: MeetingCommand['type'], data: fc.Arbitrary<unknown>, weight: number) => ({
  weight,
  arbitrary: fc.record({ type: fc.constant(type), data, actor, now: instants }),
})
const schedules = fc.constantFrom(scheduleData, { ...scheduleData, date: '2018-03-16' })

const exhibition = fc.record({ text: fc.constant(exhibitionText), effect: fc.constant(exhibitionInput) })
const intents: fc.Arbitrary<Intent> = fc.oneof(
  intent('ScheduleJointMeeting', schedules, 1),
  intent('AdoptResolution', exhibition, 2),
  intent('RecordAttendance', fc.record({ entries }), 3),
  intent('AdoptResolution', fc.record({ text: texts, effect: effects }), 6),
  intent(
    'CorrectResolution',
    fc.record({
      resolutionId: fc.constantFrom('R1', 'R2', 'R3', 'R9'),
      text: texts,
      effect: effects,
      reason: reasons,
    }),
    6,
  ),
  // Mostly valid corrections of the exhibition work, so that walks correct after the close too.
  intent(
    'CorrectResolution',
    fc.record({
      resolutionId: fc.constant('R1'),
      text: fc.constant(exhibitionText),
      effect: fc
        .tuple(days, split)
        .map(([deadline, bureaus]) => ({ ...exhibitionInput, deadline, ...bureaus })),
      reason: fc.constant('以会议录音为准'),
    }),
    4,
  ),
  intent(
    'IssueMinutes',
    fc.record({
      minutesNumber: fc.constantFrom('浦知联纪〔2018〕1号', '浦知联纪〔2018〕2号'),
      issuedOn: days,
    }),
    3,
  ),
  intent('CloseJointMeeting', fc.constant({}), 2),
)

const firstSchedule = fc.record({
  type: fc.constant('ScheduleJointMeeting' as const),
  data: fc.constant(scheduleData),
  actor: fc.constant(secretariat),
  now: instants,
})
const scripts = fc
  .tuple(
    fc.option(firstSchedule, { freq: 8 }),
    fc.array(intents, { minLength: 5, maxLength: 40, size: 'max' }),
  )
  .map(([first, rest]) => (first === null ? rest : [first, ...rest]))

function run(script: Intent[]): Walk<MeetingCommand, MeetingEvent, JointMeeting> {
  const commands = script.map(
    ({ type, data, actor, now }) => ({ type, data, metadata: { actor, now } }) as MeetingCommand,
  )
  return walk(meetingDecider, commands, meetingsErrors)
}

const runs = { numRuns: 300 }
const resolutionsOf = (state: JointMeeting) => (state.status === 'none' ? [] : state.resolutions)

t.test('replaying the events a meeting decided rebuilds every state it went through', async (t) => {
  fc.assert(
    fc.property(scripts, (script) => replaysToSameStates(meetingDecider, run(script))),
    runs,
  )
  t.pass('holds for generated command sequences')
})

t.test('a resolution’s history only grows: no version is ever edited or dropped', async (t) => {
  fc.assert(
    fc.property(scripts, (script) =>
      run(script).steps.every(({ before, after }) => {
        const earlier = resolutionsOf(before)
        const later = resolutionsOf(after)
        return earlier.every((r, i) => {
          const now = later[i]
          if (now === undefined || now.resolutionId !== r.resolutionId) return false
          const { resolutionId: _id, superseded, ...current } = r
          if (now.version === r.version) return isDeepStrictEqual(now, r)
          return now.version === r.version + 1 && isDeepStrictEqual(now.superseded, [...superseded, current])
        })
      }),
    ),
    runs,
  )
  t.pass('each step keeps every version and adds at most one per resolution')
})

t.test('a correction names an adopted resolution and supersedes its current version', async (t) => {
  fc.assert(
    fc.property(scripts, (script) =>
      run(script).steps.every(({ before, events }) =>
        (events ?? []).every((event) => {
          if (event.type !== 'ResolutionCorrected') return true
          const target = resolutionsOf(before).find((r) => r.resolutionId === event.data.resolutionId)
          return (
            target !== undefined &&
            target.version === event.data.supersedes &&
            isDeepStrictEqual(event.data.previous, { text: target.text, effect: target.effect })
          )
        }),
      ),
    ),
    runs,
  )
  t.pass('no correction of a resolution that was not adopted, nor of a superseded version')
})

t.test('after the close nothing but corrections is recorded', async (t) => {
  fc.assert(
    fc.property(scripts, (script) =>
      run(script).steps.every(
        ({ before, events }) =>
          before.status !== 'closed' || (events ?? []).every((e) => e.type === 'ResolutionCorrected'),
      ),
    ),
    runs,
  )
  t.pass('a closed meeting only takes corrections')
})

t.test('resolutions are numbered R1, R2… and minutes are issued at most once', async (t) => {
  fc.assert(
    fc.property(scripts, (script) => {
      const { state, events } = run(script)
      const ids = resolutionsOf(state).map((r) => r.resolutionId)
      const issued = events.filter((e) => e.type === 'MinutesIssued').length
      return (
        isDeepStrictEqual(
          ids,
          ids.map((_, i) => `R${i + 1}`),
        ) && issued <= 1
      )
    }),
    runs,
  )
  t.pass('numbering has no gaps and the minutes are unique')
})

t.test('repeating an accepted command records nothing (a retry is harmless)', async (t) => {
  fc.assert(
    fc.property(scripts, (script) =>
      run(script).steps.every(
        ({ command, events, after }) =>
          events === undefined || meetingDecider.decide(command, after).length === 0,
      ),
    ),
    runs,
  )
  t.pass('every command that succeeded decides nothing the second time')
})
