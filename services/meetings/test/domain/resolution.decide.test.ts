import { fold, type CommandActor } from '@coord/domain'
import type { MeetingEvent } from '@coord/events/meetings'
import t from 'tap'
import { meetingDecider, type ResolutionEffectInput } from '../../src/domain.ts'
import {
  adopted,
  attended,
  auditor,
  closed,
  command,
  correctedWork,
  corrected,
  correctionReason,
  eveOfMeeting,
  exhibitionInput,
  exhibitionText,
  exhibitionWork,
  ipOffice,
  meetingId,
  minuted,
  planId,
  planner,
  positionText,
  scheduled,
  specFor,
  supervisor,
} from './fixtures.ts'

const spec = specFor(meetingDecider)

const adopt = (text: string, effect: ResolutionEffectInput, actor?: CommandActor, at?: string) =>
  command('AdoptResolution', { text, effect }, actor, at)
const adoptedAs = (resolutionId: string, text: string, effect: unknown): MeetingEvent[] => [
  { type: 'ResolutionAdopted', data: { resolutionId, text, effect } as never },
]

const deadlineMove = {
  kind: 'change-deadline' as const,
  planId,
  taskId: '三.(二).7',
  deadline: '2018-12-31',
  reason: '展会延期',
}
const reassignment = {
  kind: 'change-responsibility' as const,
  planId,
  taskId: '三.(三).9',
  leads: ['market-supervision'],
  partners: ['ip-office'],
}
const dutyTransfer = {
  kind: 'transfer-duty' as const,
  fromBureauId: 'market-supervision',
  listKind: 'responsibility' as const,
  dutyId: 'patent-enforcement',
  toBureauId: 'ip-office',
  effectiveDate: '2018-04-01',
}

t.test('AdoptResolution', async (t) => {
  t.test('new work is adopted as R1 with the task id it defaults to', async (t) => {
    spec(t)
      .given(attended)
      .when(adopt(exhibitionText, exhibitionInput))
      .then(adopted.slice(attended.length, attended.length + 1))
  })
  t.test('a named task id is kept', async (t) => {
    const effect = { ...exhibitionInput, taskId: '三.(二).7-进博会' }
    spec(t)
      .given(attended)
      .when(adopt(exhibitionText, effect))
      .then(adoptedAs('R1', exhibitionText, effect))
  })
  t.test('every kind of effect is recorded as stated, numbered in order of adoption', async (t) => {
    for (const effect of [deadlineMove, reassignment, dutyTransfer]) {
      spec(t)
        .given(adopted)
        .when(adopt('议定', effect))
        .then(adoptedAs('R3', '议定', effect))
    }
  })
  t.test('the same resolution again records nothing, whatever number it would get now', async (t) => {
    spec(t).given(adopted).when(adopt(exhibitionText, exhibitionInput)).then([])
    spec(t)
      .given(adopted)
      .when(adopt(positionText, { kind: 'record-position' }))
      .then([])
    spec(t).given(corrected).when(adopt(exhibitionText, exhibitionInput)).then([])
  })
  t.test('the same words with another effect are another resolution', async (t) => {
    spec(t)
      .given(adopted)
      .when(adopt(positionText, deadlineMove))
      .then(adoptedAs('R3', positionText, deadlineMove))
  })
  t.test('nobody but the secretariat adopts resolutions', async (t) => {
    for (const actor of [planner, supervisor, auditor, ipOffice]) {
      spec(t)
        .given(attended)
        .when(adopt(exhibitionText, exhibitionInput, actor))
        .thenThrows('FORBIDDEN_ROLE')
    }
  })
  t.test('a resolution needs a scheduled meeting that took place', async (t) => {
    spec(t).given([]).when(adopt(exhibitionText, exhibitionInput)).thenThrows('MEETING_NOT_FOUND')
    spec(t)
      .given(scheduled)
      .when(adopt(exhibitionText, exhibitionInput, undefined, eveOfMeeting))
      .thenThrows('MEETING_NOT_HELD')
  })
  t.test('after the minutes, new resolutions are refused', async (t) => {
    spec(t).given(minuted).when(adopt('补充议定', deadlineMove)).thenThrows('MINUTES_ALREADY_ISSUED')
    spec(t).given(closed).when(adopt('补充议定', deadlineMove)).thenThrows('MEETING_CLOSED')
  })
  t.test('work is assigned to at least one lead, and to no bureau twice', async (t) => {
    for (const bureaus of [
      { leads: [], partners: ['commerce'] },
      { leads: ['ip-office'], partners: ['ip-office'] },
      { leads: ['ip-office', ''], partners: [] },
    ]) {
      spec(t)
        .given(attended)
        .when(adopt(exhibitionText, { ...exhibitionInput, ...bureaus }))
        .thenThrows('INVALID_ASSIGNMENT')
      spec(t)
        .given(attended)
        .when(adopt('调整', { ...reassignment, ...bureaus }))
        .thenThrows('INVALID_ASSIGNMENT')
    }
  })
  t.test('text, title, ids and kinds are checked', async (t) => {
    const invalid: [string, unknown][] = [
      ['', exhibitionInput],
      [exhibitionText, { ...exhibitionInput, title: ' ' }],
      [exhibitionText, { ...exhibitionInput, planId: 'a/b' }],
      [exhibitionText, { kind: 'abolish-bureau' }],
      [exhibitionText, null],
      ['移交', { ...dutyTransfer, toBureauId: 'market-supervision' }],
      ['移交', { ...dutyTransfer, listKind: 'duties' }],
    ]
    for (const [text, effect] of invalid) {
      spec(t)
        .given(attended)
        .when(adopt(text, effect as ResolutionEffectInput))
        .thenThrows('INVALID_VALUE')
    }
  })
  t.test('deadlines and effective dates are calendar days', async (t) => {
    spec(t)
      .given(attended)
      .when(adopt(exhibitionText, { ...exhibitionInput, deadline: '2018-11-31' }))
      .thenThrows('INVALID_DATE')
    spec(t)
      .given(attended)
      .when(adopt('移交', { ...dutyTransfer, effectiveDate: '2018-04' }))
      .thenThrows('INVALID_DATE')
  })
  t.test('moving a deadline needs a reason', async (t) => {
    spec(t)
      .given(attended)
      .when(adopt('延期', { ...deadlineMove, reason: '' }))
      .thenThrows('REASON_REQUIRED')
  })
})

t.test('CorrectResolution', async (t) => {
  const correct = (
    data: Partial<{ resolutionId: string; text: string; effect: ResolutionEffectInput; reason: string }>,
    actor?: CommandActor,
  ) =>
    command(
      'CorrectResolution',
      { resolutionId: 'R1', text: exhibitionText, effect: correctedWork, reason: correctionReason, ...data },
      actor,
    )
  t.test('a correction after the close is a new version that names the one it supersedes', async (t) => {
    spec(t).given(closed).when(correct({})).then(corrected.slice(closed.length))
  })
  t.test('the corrected resolution keeps every earlier version', async (t) => {
    const state = fold(meetingDecider, corrected)
    const r1 = state.status === 'none' ? undefined : state.resolutions[0]
    t.match(r1, { resolutionId: 'R1', version: 2, effect: correctedWork, reason: correctionReason })
    t.same(r1?.superseded, [{ version: 1, text: exhibitionText, effect: exhibitionWork, reason: null }])
  })
  t.test('a second correction supersedes the first', async (t) => {
    const effect = { ...correctedWork, partners: ['commerce', 'culture'] }
    spec(t)
      .given(corrected)
      .when(correct({ effect, reason: '增加配合单位' }))
      .then([
        {
          type: 'ResolutionCorrected',
          data: {
            resolutionId: 'R1',
            supersedes: 2,
            text: exhibitionText,
            effect,
            reason: '增加配合单位',
            previous: { text: exhibitionText, effect: correctedWork },
          },
        },
      ])
  })
  t.test('a correction that changes nothing records nothing', async (t) => {
    spec(t).given(corrected).when(correct({})).then([])
    spec(t)
      .given(adopted)
      .when(correct({ effect: exhibitionInput }))
      .then([])
  })
  t.test('a position may be corrected into work', async (t) => {
    const work = { ...exhibitionInput, title: '报送年度工作总结' }
    const effect = { ...work, taskId: `R-${meetingId}-R2` }
    spec(t)
      .given(adopted)
      .when(correct({ resolutionId: 'R2', text: positionText, effect: work }))
      .then([
        {
          type: 'ResolutionCorrected',
          data: {
            resolutionId: 'R2',
            supersedes: 1,
            text: positionText,
            effect,
            reason: correctionReason,
            previous: { text: positionText, effect: { kind: 'record-position' } },
          },
        },
      ])
  })
  t.test('a correction cannot redirect a resolution or undo what it did', async (t) => {
    for (const effect of [
      { kind: 'record-position' as const },
      { ...correctedWork, taskId: '三.(二).8' },
      { ...correctedWork, planId: 'another-plan' },
      { ...correctedWork, deadline: null },
      deadlineMove,
    ]) {
      spec(t).given(adopted).when(correct({ effect })).thenThrows('CORRECTION_NOT_APPLICABLE')
    }
  })
  t.test('nobody but the secretariat corrects resolutions', async (t) => {
    spec(t).given(closed).when(correct({}, planner)).thenThrows('FORBIDDEN_ROLE')
  })
  t.test('a correction needs a reason', async (t) => {
    spec(t)
      .given(closed)
      .when(correct({ reason: ' ' }))
      .thenThrows('REASON_REQUIRED')
  })
  t.test('only an adopted resolution can be corrected', async (t) => {
    spec(t)
      .given(closed)
      .when(correct({ resolutionId: 'R9' }))
      .thenThrows('RESOLUTION_NOT_FOUND')
    spec(t).given([]).when(correct({})).thenThrows('MEETING_NOT_FOUND')
  })
  t.test('a corrected effect is checked like an adopted one', async (t) => {
    spec(t)
      .given(closed)
      .when(correct({ effect: { ...correctedWork, leads: [] } }))
      .thenThrows('INVALID_ASSIGNMENT')
  })
})
