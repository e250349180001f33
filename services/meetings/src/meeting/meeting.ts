import { unreachable } from '@coord/domain'
import type { AttendanceEntry, MeetingEvent, ResolutionEffect } from '@coord/events/meetings'

/** One version of a resolution: version 1 as adopted, each correction the next. */
export interface ResolutionVersion {
  version: number
  text: string
  effect: ResolutionEffect
  /** Why this version replaced the one before; null for the version adopted. */
  reason: string | null
}

/** A resolution (议定事项): its current version, and the versions it superseded, oldest first. */
export interface Resolution extends ResolutionVersion {
  resolutionId: string
  superseded: ResolutionVersion[]
}

export interface Minutes {
  minutesNumber: string
  issuedOn: string
}

export interface MeetingFacts {
  meetingId: string
  session: number
  date: string
  convener: string
  agenda: string[]
  /** One entry per bureau, in the order bureaus were first recorded. */
  attendance: AttendanceEntry[]
  /** In order of adoption: R1, R2… */
  resolutions: Resolution[]
  minutes: Minutes | null
}

/**
 * A meeting stream: nothing yet, or a meeting scheduled (and perhaps held), its minutes issued,
 * or closed. The status follows the record, not the calendar: whether the meeting has taken
 * place is a question of the command's time, decided in decide.
 */
export type JointMeeting =
  { status: 'none' } | (MeetingFacts & { status: 'scheduled' | 'minutes_issued' | 'closed' })

export type ExistingMeeting = Exclude<JointMeeting, { status: 'none' }>

export const initialState: JointMeeting = { status: 'none' }

function withAttendance(current: AttendanceEntry[], entries: AttendanceEntry[]): AttendanceEntry[] {
  const replaced = current.map((entry) => entries.find((e) => e.bureauId === entry.bureauId) ?? entry)
  const added = entries.filter((entry) => !current.some((e) => e.bureauId === entry.bureauId))
  return [...replaced, ...added].map((entry) => ({ ...entry }))
}

function corrected(
  resolution: Resolution,
  text: string,
  effect: ResolutionEffect,
  reason: string,
): Resolution {
  const { resolutionId, superseded, ...current } = resolution
  return {
    resolutionId,
    version: current.version + 1,
    text,
    effect,
    reason,
    superseded: [...superseded, current],
  }
}

export function evolve(state: JointMeeting, event: MeetingEvent): JointMeeting {
  if (event.type === 'JointMeetingScheduled') {
    const { meetingId, session, date, convener, agenda } = event.data
    const empty = { attendance: [], resolutions: [], minutes: null }
    return { status: 'scheduled', meetingId, session, date, convener, agenda: [...agenda], ...empty }
  }
  // Every other event extends a scheduled meeting; a stream that starts elsewhere is no meeting.
  if (state.status === 'none') return state
  switch (event.type) {
    case 'AttendanceRecorded':
      return { ...state, attendance: withAttendance(state.attendance, event.data.entries) }
    case 'ResolutionAdopted': {
      const { resolutionId, text, effect } = event.data
      const adopted: Resolution = { resolutionId, version: 1, text, effect, reason: null, superseded: [] }
      return { ...state, resolutions: [...state.resolutions, adopted] }
    }
    case 'ResolutionCorrected': {
      const { resolutionId, text, effect, reason } = event.data
      const resolutions = state.resolutions.map((r) =>
        r.resolutionId === resolutionId ? corrected(r, text, effect, reason) : r,
      )
      return { ...state, resolutions }
    }
    case 'MinutesIssued': {
      const { minutesNumber, issuedOn } = event.data
      const status = state.status === 'closed' ? 'closed' : 'minutes_issued'
      return { ...state, status, minutes: { minutesNumber, issuedOn } }
    }
    case 'JointMeetingClosed':
      return { ...state, status: 'closed' }
    default:
      return unreachable(event)
  }
}

/** The id the next resolution gets: R1, R2… in order of adoption. */
export function nextResolutionId(state: MeetingFacts): string {
  return `R${state.resolutions.length + 1}`
}
