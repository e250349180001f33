import type { Command } from '@coord/domain'
import type { NoData } from '@coord/events'
import type { AssignWorkEffect, AttendanceEntry, ResolutionEffect } from '@coord/events/meetings'

// Commands name what the secretariat wants recorded. Only ScheduleJointMeeting carries the
// meeting's id: every other command is addressed by the stream the edge loads for it.

export type ScheduleJointMeeting = Command<
  'ScheduleJointMeeting',
  { meetingId: string; session: number; date: string; convener: string; agenda: string[] }
>

/** Entries for some or all member bureaus; each replaces the bureau's earlier entry. */
export type RecordAttendance = Command<'RecordAttendance', { entries: AttendanceEntry[] }>

/** An effect as the secretariat states it: an assign-work effect may leave the task id to default. */
export type ResolutionEffectInput =
  (Omit<AssignWorkEffect, 'taskId'> & { taskId?: string }) | Exclude<ResolutionEffect, AssignWorkEffect>

/** The decider numbers resolutions R1, R2… in order of adoption. */
export type AdoptResolution = Command<'AdoptResolution', { text: string; effect: ResolutionEffectInput }>

/** Records a new version of an adopted resolution; the current one stays on record as superseded. */
export type CorrectResolution = Command<
  'CorrectResolution',
  { resolutionId: string; text: string; effect: ResolutionEffectInput; reason: string }
>

export type IssueMinutes = Command<'IssueMinutes', { minutesNumber: string; issuedOn: string }>

export type CloseJointMeeting = Command<'CloseJointMeeting', NoData>

export type MeetingCommand =
  | ScheduleJointMeeting
  | RecordAttendance
  | AdoptResolution
  | CorrectResolution
  | IssueMinutes
  | CloseJointMeeting
