import { createHash } from 'node:crypto'
import type { EventOf, NoData } from './event-of.ts'
import { maxTaskIdLength } from './stream-ids.ts'

// The joint-meeting stream (联席会议), `meeting-<meetingId>`: what the secretariat records about
// one session. JSON-only data; days are 'YYYY-MM-DD' in China Standard Time.

/** How a member bureau took part: in person, not at all, or through someone sent in its place. */
export type AttendanceStatus = 'present' | 'absent' | 'delegated'

export interface AttendanceEntry {
  bureauId: string
  status: AttendanceStatus
  /** Who attended for the bureau; present exactly when the status is `delegated`. */
  delegate?: string
}

/** New work: a task published under the resolution and assigned to lead and partner bureaus. */
export interface AssignWorkEffect {
  kind: 'assign-work'
  planId: string
  /** Recorded always; when the secretariat names none it is `R-<meetingId>-<resolutionId>`. */
  taskId: string
  title: string
  leads: string[]
  partners: string[]
  deadline: string | null
}

export interface ChangeDeadlineEffect {
  kind: 'change-deadline'
  planId: string
  taskId: string
  deadline: string
  reason: string
}

export interface ChangeResponsibilityEffect {
  kind: 'change-responsibility'
  planId: string
  taskId: string
  leads: string[]
  partners: string[]
}

/** A duty (职责) moves from one bureau's power or responsibility list to another bureau. */
export interface TransferDutyEffect {
  kind: 'transfer-duty'
  fromBureauId: string
  listKind: 'power' | 'responsibility'
  dutyId: string
  toBureauId: string
  effectiveDate: string
}

/** The meeting stated a position; nothing is to be done about it. */
export interface RecordPositionEffect {
  kind: 'record-position'
}

/** What a resolution (议定事项) makes happen elsewhere on the platform. */
export type ResolutionEffect =
  | AssignWorkEffect
  | ChangeDeadlineEffect
  | ChangeResponsibilityEffect
  | TransferDutyEffect
  | RecordPositionEffect

export type ResolutionEffectKind = ResolutionEffect['kind']

export type JointMeetingScheduled = EventOf<
  'JointMeetingScheduled',
  {
    meetingId: string
    /** The session number, e.g. 3 for 第三次联席会议. */
    session: number
    date: string
    convener: string
    agenda: string[]
  }
>

/** Entries for the bureaus named; an entry replaces the bureau's earlier one. */
export type AttendanceRecorded = EventOf<'AttendanceRecorded', { entries: AttendanceEntry[] }>

/** Version 1 of a resolution; `resolutionId` is R1, R2… in order of adoption within the meeting. */
export type ResolutionAdopted = EventOf<
  'ResolutionAdopted',
  { resolutionId: string; text: string; effect: ResolutionEffect }
>

/**
 * A new version of a resolution; the earlier one stays on record. `supersedes` is the version it
 * replaces (the new one is `supersedes + 1`) and `previous` repeats what that version said, so a
 * reader of this event alone can tell what changed.
 */
export type ResolutionCorrected = EventOf<
  'ResolutionCorrected',
  {
    resolutionId: string
    supersedes: number
    text: string
    effect: ResolutionEffect
    reason: string
    previous: { text: string; effect: ResolutionEffect }
  }
>

/** The minutes (会议纪要) under their document number, e.g. 浦知联纪〔2018〕3号. */
export type MinutesIssued = EventOf<'MinutesIssued', { minutesNumber: string; issuedOn: string }>

export type JointMeetingClosed = EventOf<'JointMeetingClosed', NoData>

export type MeetingEvent =
  | JointMeetingScheduled
  | AttendanceRecorded
  | ResolutionAdopted
  | ResolutionCorrected
  | MinutesIssued
  | JointMeetingClosed

export type MeetingEventType = MeetingEvent['type']

// A record keyed by the union: the compiler rejects a missing or unknown name.
const meetingTypes: Record<MeetingEventType, true> = {
  JointMeetingScheduled: true,
  AttendanceRecorded: true,
  ResolutionAdopted: true,
  ResolutionCorrected: true,
  MinutesIssued: true,
  JointMeetingClosed: true,
}

export const meetingEventTypes: readonly MeetingEventType[] = Object.freeze(
  Object.keys(meetingTypes) as MeetingEventType[],
)

export function isMeetingEventType(type: string): type is MeetingEventType {
  return Object.hasOwn(meetingTypes, type)
}

export const meetingStreamPrefix = 'meeting-'

/** `meeting-<meetingId>`; a meeting id is non-empty and holds no '/'. */
export function meetingStreamId(meetingId: string): string {
  if (!validMeetingId(meetingId)) {
    throw new RangeError(`a meeting id must be non-empty and without '/': ${meetingId}`)
  }
  return `${meetingStreamPrefix}${meetingId}`
}

/** The meeting id a stream id names, or undefined when it is no meeting stream. */
export function parseMeetingStreamId(streamId: string): string | undefined {
  if (!streamId.startsWith(meetingStreamPrefix)) return undefined
  const meetingId = streamId.slice(meetingStreamPrefix.length)
  return validMeetingId(meetingId) ? meetingId : undefined
}

/**
 * The id of the task an assign-work resolution creates when the secretariat names none:
 * `R-<meetingId>-<resolutionId>`. When that would be longer than a task id may be
 * (`maxTaskIdLength`, what the planning routes accept), the meeting id is cut and a hash of the
 * whole of it added after a `~` (which no meeting id holds), so every default id stays reachable
 * and two meetings never share one. Ids that fit are the ones recorded before this rule.
 */
export function resolutionTaskId(meetingId: string, resolutionId: string): string {
  const full = `R-${meetingId}-${resolutionId}`
  if (full.length <= maxTaskIdLength) return full
  const hash = createHash('sha256').update(meetingId).digest('hex').slice(0, 10)
  const room = Math.max(0, maxTaskIdLength - `R-~${hash}-${resolutionId}`.length)
  return `R-${meetingId.slice(0, room)}~${hash}-${resolutionId}`
}

function validMeetingId(meetingId: string): boolean {
  return meetingId !== '' && !meetingId.includes('/')
}
