import { unreachable } from '@coord/domain'
import type {
  AttendanceEntry,
  AttendanceRecorded,
  JointMeetingClosed,
  JointMeetingScheduled,
  MeetingEvent,
  MinutesIssued,
} from '@coord/events/meetings'
import {
  fail,
  requireDay,
  requireId,
  requireSecretariat,
  requireText,
  requireTexts,
  sameJson,
  today,
} from '../domain-errors.ts'
import { adoptResolution, correctResolution } from '../resolution/resolution.decide.ts'
import type {
  CloseJointMeeting,
  IssueMinutes,
  MeetingCommand,
  RecordAttendance,
  ScheduleJointMeeting,
} from './meeting-commands.ts'
import { existingMeeting, requireHeld, requireOpenRecord } from './meeting-guards.ts'
import type { JointMeeting } from './meeting.ts'

export type * from './meeting-commands.ts'

function checkSchedule(data: ScheduleJointMeeting['data']): JointMeetingScheduled['data'] {
  const { session } = data
  if (typeof session !== 'number' || !Number.isSafeInteger(session) || session < 1) {
    throw fail('INVALID_VALUE', `session must be a whole number from 1: ${String(session)}`)
  }
  return {
    meetingId: requireId(data.meetingId, 'meetingId'),
    session,
    date: requireDay(data.date, 'date'),
    convener: requireText(data.convener, 'convener'),
    agenda: requireTexts(data.agenda, 'agenda'),
  }
}

/**
 * A meeting may be scheduled for any day, past ones too (the secretariat records meetings held
 * before the platform). Scheduling the same meeting again is a retry and records nothing.
 */
export function scheduleJointMeeting(
  command: ScheduleJointMeeting,
  state: JointMeeting,
): JointMeetingScheduled[] {
  requireSecretariat(command.metadata.actor, 'schedule a joint meeting')
  const data = checkSchedule(command.data)
  if (state.status !== 'none') {
    const { meetingId, session, date, convener, agenda } = state
    if (sameJson({ meetingId, session, date, convener, agenda }, data)) return []
    throw fail('MEETING_EXISTS', state.meetingId)
  }
  return [{ type: 'JointMeetingScheduled', data }]
}

const statuses: readonly string[] = ['present', 'absent', 'delegated']

function checkEntry(value: unknown, field: string): AttendanceEntry {
  const entry = (value ?? {}) as Partial<AttendanceEntry>
  const bureauId = requireId(entry.bureauId, `${field}.bureauId`)
  const { status, delegate } = entry
  if (typeof status !== 'string' || !statuses.includes(status)) {
    throw fail('INVALID_ATTENDANCE', `${field}.status must be present, absent or delegated`)
  }
  if (status !== 'delegated') {
    if (delegate !== undefined)
      throw fail('INVALID_ATTENDANCE', `${field}: only a delegated bureau has a delegate`)
    return { bureauId, status }
  }
  if (typeof delegate !== 'string' || delegate.trim() === '') {
    throw fail('INVALID_ATTENDANCE', `${field}: a delegated bureau names its delegate`)
  }
  return { bureauId, status, delegate }
}

function checkAttendance(values: unknown): AttendanceEntry[] {
  if (!Array.isArray(values) || values.length === 0) throw fail('INVALID_ATTENDANCE', 'no entries')
  const entries = values.map((value, i) => checkEntry(value, `entries[${i}]`))
  const ids = entries.map((entry) => entry.bureauId)
  if (new Set(ids).size !== ids.length) throw fail('INVALID_ATTENDANCE', 'a bureau is named twice')
  return entries
}

/** Records only the entries that differ from what is on record; a repeat records nothing. */
export function recordAttendance(command: RecordAttendance, state: JointMeeting): AttendanceRecorded[] {
  requireSecretariat(command.metadata.actor, 'record attendance')
  const meeting = existingMeeting(state)
  const entries = checkAttendance(command.data.entries)
  const changed = entries.filter((entry) => !meeting.attendance.some((known) => sameJson(known, entry)))
  if (changed.length === 0) return []
  requireOpenRecord(meeting, command.metadata)
  return [{ type: 'AttendanceRecorded', data: { entries: changed } }]
}

/** Minutes are issued once, on or after the meeting day and not later than today. */
export function issueMinutes(command: IssueMinutes, state: JointMeeting): MinutesIssued[] {
  requireSecretariat(command.metadata.actor, 'issue minutes')
  const meeting = existingMeeting(state)
  const minutesNumber = requireText(command.data.minutesNumber, 'minutesNumber')
  const issuedOn = requireDay(command.data.issuedOn, 'issuedOn')
  if (meeting.minutes !== null) {
    if (sameJson(meeting.minutes, { minutesNumber, issuedOn })) return []
    throw fail('MINUTES_ALREADY_ISSUED', meeting.minutes.minutesNumber)
  }
  requireHeld(meeting, command.metadata)
  if (issuedOn < meeting.date) throw fail('INVALID_DATE', `issuedOn ${issuedOn} precedes the meeting`)
  if (issuedOn > today(command.metadata))
    throw fail('INVALID_DATE', `issuedOn ${issuedOn} lies in the future`)
  return [{ type: 'MinutesIssued', data: { minutesNumber, issuedOn } }]
}

/** Closing files the meeting away; closing a closed meeting is a retry and records nothing. */
export function closeJointMeeting(command: CloseJointMeeting, state: JointMeeting): JointMeetingClosed[] {
  requireSecretariat(command.metadata.actor, 'close a joint meeting')
  const meeting = existingMeeting(state)
  if (meeting.status === 'closed') return []
  if (meeting.minutes === null) throw fail('MINUTES_NOT_ISSUED', meeting.meetingId)
  return [{ type: 'JointMeetingClosed', data: {} }]
}

/**
 * The JointMeeting aggregate's decisions: the meeting's own record here, its resolutions in
 * resolution.decide.ts. Only the secretariat records; each function checks the actor itself.
 */
export function decide(command: MeetingCommand, state: JointMeeting): MeetingEvent[] {
  switch (command.type) {
    case 'ScheduleJointMeeting':
      return scheduleJointMeeting(command, state)
    case 'RecordAttendance':
      return recordAttendance(command, state)
    case 'AdoptResolution':
      return adoptResolution(command, state)
    case 'CorrectResolution':
      return correctResolution(command, state)
    case 'IssueMinutes':
      return issueMinutes(command, state)
    case 'CloseJointMeeting':
      return closeJointMeeting(command, state)
    default:
      return unreachable(command)
  }
}
