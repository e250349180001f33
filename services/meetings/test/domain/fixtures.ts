import type { Command, CommandActor, CommandMetadata, Decider, DomainEvent } from '@coord/domain'
import { deciderSpec } from '@coord/domain/testing'
import type { AssignWorkEffect, MeetingEvent, ResolutionEffect } from '@coord/events/meetings'
import type { MeetingCommand } from '../../src/domain.ts'

/** The assertions deciderSpec uses, with messages required: that is the shape tap's `t` has. */
interface TapAssertions {
  same(found: unknown, wanted: unknown, message: string): unknown
  fail(message: string): unknown
  ok(value: unknown, message: string): unknown
}

/**
 * deciderSpec for tap. @coord/domain/testing declares optional messages, which tap's overloaded
 * assertion signatures do not accept in TypeScript, so `t` is passed through this adapter.
 */
export function specFor<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  const spec = deciderSpec(decider)
  return (t: TapAssertions) =>
    spec({
      same: (found, wanted, message) => t.same(found, wanted, message ?? 'decided events'),
      fail: (message) => t.fail(message),
      ok: (value, message) => t.ok(value, message ?? 'holds'),
    })
}

// The meeting meets on 2018-03-15; the secretariat records it on 2018-03-20, 10:00 in Shanghai.
export const meetingDay = '2018-03-15'
export const now = '2018-03-20T02:00:00.000Z'
/** 2018-03-14 23:30 in Shanghai: still the day before the meeting there, though not in UTC+0… */
export const eveOfMeeting = '2018-03-14T15:30:00.000Z'
/** …and 2018-03-15 00:30 in Shanghai, while UTC still says the 14th: the meeting day. */
export const meetingMorning = '2018-03-14T16:30:00.000Z'

export const secretariat: CommandActor = { role: 'secretariat', user: 'secretariat-li' }
export const planner: CommandActor = { role: 'planner', user: 'plan-office-zhang' }
export const supervisor: CommandActor = { role: 'supervisor', user: 'supervision-wang' }
export const auditor: CommandActor = { role: 'auditor', user: 'auditor-zhao' }
export const system: CommandActor = { role: 'system', user: 'resolution-manager' }
export const ipOffice: CommandActor = { role: 'bureau', bureauId: 'ip-office', user: 'ip-office-clerk' }

export function metadata(actor: CommandActor, at = now): CommandMetadata {
  return { actor, now: at }
}

type CommandOf<T extends MeetingCommand['type']> = Extract<MeetingCommand, { type: T }>

export function command<T extends MeetingCommand['type']>(
  type: T,
  data: CommandOf<T>['data'],
  actor: CommandActor = secretariat,
  at = now,
): CommandOf<T> {
  return { type, data, metadata: metadata(actor, at) } as CommandOf<T>
}

// ---- the meeting: 浦东新区知识产权联席会议 2018年第一次会议

export const meetingId = 'jm-2018-1'
export const planId = 'pudong-ip-2017'

export const scheduleData = {
  meetingId,
  session: 1,
  date: meetingDay,
  convener: '分管副区长',
  agenda: ['2017年示范城市培育工作进展', '2018年重点工作安排'],
}

export const scheduled: MeetingEvent[] = [{ type: 'JointMeetingScheduled', data: scheduleData }]

export const attendance = [
  { bureauId: 'ip-office', status: 'present' as const },
  { bureauId: 'commerce', status: 'delegated' as const, delegate: '商务委市场处 陈处长' },
  { bureauId: 'finance', status: 'absent' as const },
]

export const attended: MeetingEvent[] = [
  ...scheduled,
  { type: 'AttendanceRecorded', data: { entries: attendance } },
]

/** R1: 展会知识产权保护, new work led by the IP office with commerce as partner. */
export const exhibitionWork: AssignWorkEffect = {
  kind: 'assign-work',
  planId,
  taskId: 'R-jm-2018-1-R1',
  title: '进博会期间设立知识产权保护工作站',
  leads: ['ip-office'],
  partners: ['commerce'],
  deadline: '2018-11-05',
}
export const { taskId: _defaultTaskId, ...exhibitionInput } = exhibitionWork
export const exhibitionText =
  '会议同意在中国国际进口博览会期间设立知识产权保护工作站，由区知识产权局牵头，区商务委配合。'

/** R2: a position only. */
export const positionText = '会议要求各成员单位按照职责分工落实年度任务。'
export const position: ResolutionEffect = { kind: 'record-position' }

export const adopted: MeetingEvent[] = [
  ...attended,
  { type: 'ResolutionAdopted', data: { resolutionId: 'R1', text: exhibitionText, effect: exhibitionWork } },
  { type: 'ResolutionAdopted', data: { resolutionId: 'R2', text: positionText, effect: position } },
]

export const minutes = { minutesNumber: '浦知联纪〔2018〕1号', issuedOn: '2018-03-20' }
export const minuted: MeetingEvent[] = [...adopted, { type: 'MinutesIssued', data: minutes }]
export const closed: MeetingEvent[] = [...minuted, { type: 'JointMeetingClosed', data: {} }]

/** R1 as corrected once: the deadline moved, the reason given. */
export const correctionReason = '纪要误写完成时限，以会议录音为准'
export const correctedWork: AssignWorkEffect = { ...exhibitionWork, deadline: '2018-10-31' }
export const corrected: MeetingEvent[] = [
  ...closed,
  {
    type: 'ResolutionCorrected',
    data: {
      resolutionId: 'R1',
      supersedes: 1,
      text: exhibitionText,
      effect: correctedWork,
      reason: correctionReason,
      previous: { text: exhibitionText, effect: exhibitionWork },
    },
  },
]
