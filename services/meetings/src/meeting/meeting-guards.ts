import type { CommandMetadata } from '@coord/domain'
import { fail, today } from '../domain-errors.ts'
import type { ExistingMeeting, JointMeeting } from './meeting.ts'

export function existingMeeting(state: JointMeeting): ExistingMeeting {
  if (state.status === 'none') throw fail('MEETING_NOT_FOUND')
  return state
}

/**
 * What the meeting record accepts until its minutes are issued: attendance and new resolutions,
 * once the meeting has taken place (on its date or later, by the command's business day).
 */
export function requireOpenRecord(meeting: ExistingMeeting, metadata: CommandMetadata): void {
  if (meeting.status === 'closed') throw fail('MEETING_CLOSED', meeting.meetingId)
  if (meeting.status === 'minutes_issued') {
    throw fail('MINUTES_ALREADY_ISSUED', meeting.minutes?.minutesNumber ?? meeting.meetingId)
  }
  requireHeld(meeting, metadata)
}

export function requireHeld(meeting: ExistingMeeting, metadata: CommandMetadata): void {
  const day = today(metadata)
  if (day < meeting.date) throw fail('MEETING_NOT_HELD', `it meets on ${meeting.date}, today is ${day}`)
}
