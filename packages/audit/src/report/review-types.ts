// The annual review's shape: what `annualReview` answers for each bureau, every figure with the
// positions of the events behind it.

/** The fields of a stored event the review reads; a `LeafEvent` or a store's `RecordedEvent` fits. */
export interface ReviewEvent {
  position: number
  streamId: string
  type: string
  data: unknown
  metadata: { occurredAt: string; recordedAt: string }
}

/** A number and the global positions of the events it was computed from, in ascending order. */
export interface Figure {
  value: number
  positions: number[]
}

export type DueOutcome = 'on_time' | 'late' | 'overdue' | 'suspended'

export interface TaskDue {
  planId: string
  taskId: string
  title: string
  deadline: string
  outcome: DueOutcome
  /** The day the accepted completion was submitted (or the task closed out), or null. */
  doneOn: string | null
  /** Days past the deadline: when done late, or, when overdue, at the year end. */
  daysLate: number
  positions: number[]
}

export interface Acknowledgment {
  planId: string
  taskId: string
  assignedOn: string
  acknowledgedOn: string
  delayDays: number
  positions: number[]
}

export interface ProgressItem {
  planId: string
  taskId: string
  percent: number
  reportedOn: string
  position: number
}

export interface RejectionItem {
  planId: string
  taskId: string
  rejectedOn: string
  reason: string
  positions: number[]
}

export type ImplementationStatus = 'not_started' | 'in_progress' | 'done' | 'overdue'

export interface ResolutionItem {
  meetingId: string
  resolutionId: string
  text: string
  planId: string
  taskId: string
  status: ImplementationStatus
  positions: number[]
}

export interface TargetItem {
  planId: string
  targetId: string
  metric: string
  unit: string
  value: number
  /** The latest measurement with a date in or before the year, or null. */
  latest: { value: number; asOf: string } | null
  /** latest / value, to four decimals; null without a measurement or with a zero target. */
  attainment: number | null
  positions: number[]
}

export interface DutyMove {
  dutyId: string
  title: string
  direction: 'gained' | 'lost'
  fromBureauId: string
  toBureauId: string
  reorganisationId: string
  effectiveDate: string
  position: number
}

export interface BureauAnnualReview {
  year: number
  bureauId: string
  nameZh: string
  nameEn: string
  /** Whether the registry knew the bureau by the year end; names are its id when not. */
  registered: boolean
  /** The day the bureau ended in a reorganisation, or null. */
  dissolvedOn: string | null
  tasksDue: Figure
  tasksOnTime: Figure
  tasksLate: Figure
  tasksOverdue: Figure
  tasksSuspended: Figure
  tasks: TaskDue[]
  acknowledgments: Figure
  /** The mean delay in days (two decimals), 0 without acknowledgments. */
  averageAcknowledgmentDelayDays: Figure
  maxAcknowledgmentDelayDays: Figure
  acknowledgmentItems: Acknowledgment[]
  progressReports: Figure
  progressItems: ProgressItem[]
  completionsRejected: Figure
  rejectionItems: RejectionItem[]
  resolutionsAssigned: Figure
  resolutionsDone: Figure
  resolutionsInProgress: Figure
  resolutionsOverdue: Figure
  resolutionsNotStarted: Figure
  resolutionItems: ResolutionItem[]
  targetsReported: Figure
  targetsAttained: Figure
  targetItems: TargetItem[]
  dutiesGained: Figure
  dutiesLost: Figure
  dutyMoves: DutyMove[]
}

export interface AnnualReview {
  year: number
  /** The instant the year ends in China Standard Time (UTC+8). */
  yearEnd: string
  /** How many events were recorded before the year end: the prefix of the log the review reads. */
  eventCount: number
  /** The position of the last of those events, 0 when there is none. */
  lastPosition: number
  bureaus: BureauAnnualReview[]
}
