import type { TaskView } from '@coord/projector'

// The shapes the resolvers work on. Root queries answer them from `ReadModels`; the loaders build
// the same shapes in batches for what a list's items link to.

export interface BureauView {
  bureauId: string
  registered: boolean
  nameZh: string | null
  nameEn: string | null
  shortName: string | null
  kind: string | null
  status: string | null
}

export interface PlanHeaderView {
  planId: string
  status: string
  title: string
  docNumber: string | null
  issuer: string | null
  issueDate: string | null
  period: { from: string; to: string } | null
  safeguards: string[]
  goals: { goalId: string; text: string }[]
  amendments: number
  importedAt: string
  issuedAt: string | null
}

export interface AttendanceView {
  bureauId: string
  status: string
  delegate: string | null
  recordedAt: string
}

export type PublicTaskView = Omit<TaskView, 'restricted'> & { restricted?: TaskView['restricted'] }

export interface ResolutionView {
  resolutionId: string
  version: number
  text: string
  effect: { kind: string } & Record<string, unknown>
  reason: string | null
  supersededCount: number
  superseded: unknown[]
  adoptedAt: string
  correctedAt: string | null
  tasks: PublicTaskView[]
  implementationStatus: string
}

/** A joint meeting as the resolvers see it; lists the root query did not load come from loaders. */
export interface MeetingNode {
  meetingId: string
  session: number
  date: string
  convener: string
  agenda: string[]
  status: string
  minutes: { minutesNumber: string; issuedOn: string | null } | null
  closedAt: string | null
  attendanceCounts: { present: number; absent: number; delegated: number }
  resolutionCount: number
  /** The day resolutions' implementation status is judged on. */
  today: string
  attendance?: AttendanceView[]
  resolutions?: ResolutionView[]
}
