import { parsePlanningStreamId } from '@coord/events'
import type { TaskEvent, TargetDefined, TargetMeasurementReported } from '@coord/events'
import { parseMeetingStreamId, type ResolutionEffect } from '@coord/events/meetings'
import type {
  BureauRegistered,
  BureauRenamed,
  BureauDissolved,
  DutyReceived,
  DutyTransferred,
} from '@coord/events/responsibility'

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

const cstOffsetMs = 8 * 3600 * 1000
const dayMs = 24 * 3600 * 1000

/** The instant (epoch milliseconds) `year` ends in China Standard Time. */
export function reviewYearEnd(year: number): number {
  return Date.UTC(year + 1, 0, 1) - cstOffsetMs
}

/** The calendar day in China Standard Time of an ISO instant. */
export function cstDay(time: string): string {
  return new Date(Date.parse(time) + cstOffsetMs).toISOString().slice(0, 10)
}

/** Whole days from day `from` to day `to` ('YYYY-MM-DD'); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs)
}

/**
 * The events a review of `year` reads: the prefix of the log recorded before the year ends. The
 * log is read in position order and the first event recorded after the year end ends the prefix,
 * which is the prefix the notary's year-end tree head covers.
 */
export function yearPrefix<E extends ReviewEvent>(events: Iterable<E>, year: number): E[] {
  const end = reviewYearEnd(year)
  const prefix: E[] = []
  for (const event of events) {
    if (Date.parse(event.metadata.recordedAt) >= end) break
    prefix.push(event)
  }
  return prefix
}

interface TaskFold {
  planId: string
  taskId: string
  title: string
  leads: string[]
  status: 'open' | 'submitted' | 'verified' | 'closed' | 'cancelled'
  suspended: boolean
  deadline: string | null
  deadlinePosition: number | null
  /** The latest assignment naming each lead: the day and position. */
  assignedAt: Map<string, { day: string; position: number }>
  acknowledged: Set<string>
  /** Whether any progress was reported: work started even without an acknowledgment. */
  progressed: boolean
  submission: { bureauId: string; day: string; position: number } | null
  done: { day: string; positions: number[] } | null
}

interface ResolutionFold {
  meetingId: string
  resolutionId: string
  text: string
  effect: ResolutionEffect
  adoptedOn: string
  positions: number[]
}

interface TargetFold {
  planId: string
  definition: TargetDefined['data']
  position: number
  measurements: { value: number; asOf: string; bureauId: string | null; position: number }[]
}

interface BureauFold {
  bureauId: string
  nameZh: string
  nameEn: string
  dissolvedOn: string | null
}

interface Fold {
  year: number
  first: string
  last: string
  bureaus: Map<string, BureauFold>
  tasks: Map<string, TaskFold>
  acknowledgments: (Acknowledgment & { bureauId: string })[]
  progress: (ProgressItem & { bureauId: string })[]
  rejections: (RejectionItem & { bureauId: string })[]
  resolutions: Map<string, ResolutionFold>
  targets: Map<string, TargetFold>
  duties: (DutyMove & { bureauId: string })[]
}

/**
 * The annual review of `year` (China Standard Time) for every bureau registered by its end, or for
 * the bureaus named: a pure fold over the events recorded before the year end, in position order.
 * Business days come from `occurredAt`; what counts as "in the year" is that day falling in it.
 */
export function annualReview(
  events: Iterable<ReviewEvent>,
  year: number,
  options: { bureauIds?: readonly string[] } = {},
): AnnualReview {
  if (!Number.isSafeInteger(year) || year < 1900 || year > 9999) throw new RangeError(`not a year: ${year}`)
  const prefix = yearPrefix(events, year)
  const fold: Fold = {
    year,
    first: `${year}-01-01`,
    last: `${year}-12-31`,
    bureaus: new Map(),
    tasks: new Map(),
    acknowledgments: [],
    progress: [],
    rejections: [],
    resolutions: new Map(),
    targets: new Map(),
    duties: [],
  }
  for (const event of prefix) apply(fold, event)
  const wanted = options.bureauIds ?? [...fold.bureaus.keys()].sort()
  return {
    year,
    yearEnd: new Date(reviewYearEnd(year)).toISOString(),
    eventCount: prefix.length,
    lastPosition: prefix.at(-1)?.position ?? 0,
    bureaus: wanted.map((bureauId) => reviewOf(fold, bureauId)),
  }
}

function apply(fold: Fold, event: ReviewEvent): void {
  const planning = parsePlanningStreamId(event.streamId)
  if (planning?.kind === 'task') return applyTask(fold, planning.planId, planning.taskId, event)
  if (planning?.kind === 'plan') return applyPlan(fold, planning.planId, event)
  const meetingId = parseMeetingStreamId(event.streamId)
  if (meetingId !== undefined) return applyMeeting(fold, meetingId, event)
  applyResponsibility(fold, event)
}

const inYear = (fold: Fold, day: string) => day >= fold.first && day <= fold.last

function applyTask(fold: Fold, planId: string, taskId: string, event: ReviewEvent): void {
  const key = `${planId}/${taskId}`
  const day = cstDay(event.metadata.occurredAt)
  const typed = { type: event.type, data: event.data } as TaskEvent
  if (typed.type === 'TaskPublished') {
    fold.tasks.set(key, {
      planId,
      taskId,
      title: typed.data.title,
      leads: [],
      status: 'open',
      suspended: false,
      deadline: null,
      deadlinePosition: null,
      assignedAt: new Map(),
      acknowledged: new Set(),
      progressed: false,
      submission: null,
      done: null,
    })
    return
  }
  const task = fold.tasks.get(key)
  if (task === undefined) return
  switch (typed.type) {
    case 'TaskAssigned':
      for (const lead of typed.data.leads)
        if (!task.leads.includes(lead)) task.assignedAt.set(lead, { day, position: event.position })
      task.leads = [...typed.data.leads]
      for (const bureauId of task.acknowledged)
        if (!task.leads.includes(bureauId)) task.acknowledged.delete(bureauId)
      return
    case 'TaskAcknowledged': {
      const { bureauId } = typed.data
      if (task.acknowledged.has(bureauId)) return
      task.acknowledged.add(bureauId)
      const assigned = task.assignedAt.get(bureauId)
      if (assigned === undefined || !inYear(fold, day)) return
      fold.acknowledgments.push({
        bureauId,
        planId,
        taskId,
        assignedOn: assigned.day,
        acknowledgedOn: day,
        delayDays: Math.max(0, daysBetween(assigned.day, day)),
        positions: [assigned.position, event.position],
      })
      return
    }
    case 'DeadlineSet':
      task.deadline = typed.data.deadline
      task.deadlinePosition = event.position
      return
    case 'DeadlineChanged':
      task.deadline = typed.data.to
      task.deadlinePosition = event.position
      return
    case 'ProgressReported':
      task.progressed = true
      if (inYear(fold, day))
        fold.progress.push({
          bureauId: typed.data.bureauId,
          planId,
          taskId,
          percent: typed.data.percent,
          reportedOn: day,
          position: event.position,
        })
      return
    case 'CompletionSubmitted':
      task.status = 'submitted'
      task.submission = { bureauId: typed.data.bureauId, day, position: event.position }
      return
    case 'CompletionRejected': {
      const submission = task.submission
      task.status = 'open'
      task.submission = null
      if (submission === null || !inYear(fold, day)) return
      fold.rejections.push({
        bureauId: submission.bureauId,
        planId,
        taskId,
        rejectedOn: day,
        reason: typed.data.reason,
        positions: [submission.position, event.position],
      })
      return
    }
    case 'CompletionVerified':
      task.status = 'verified'
      task.done ??= task.submission
        ? { day: task.submission.day, positions: [task.submission.position, event.position] }
        : { day, positions: [event.position] }
      return
    case 'TaskClosed':
      task.status = 'closed'
      task.done ??= { day, positions: [event.position] }
      return
    case 'TaskSuspended':
      task.suspended = true
      return
    case 'TaskResumed':
      task.suspended = false
      return
    case 'TaskCancelled':
      task.status = 'cancelled'
      return
    case 'DeadlineApproaching':
    case 'DeadlineMissed':
      return
    default:
      return
  }
}

function applyPlan(fold: Fold, planId: string, event: ReviewEvent): void {
  if (event.type === 'TargetDefined') {
    const definition = event.data as TargetDefined['data']
    fold.targets.set(`${planId}/${definition.targetId}`, {
      planId,
      definition,
      position: event.position,
      measurements: [],
    })
  } else if (event.type === 'TargetMeasurementReported') {
    const data = event.data as TargetMeasurementReported['data']
    const target = fold.targets.get(`${planId}/${data.targetId}`)
    if (target === undefined || data.asOf > fold.last) return
    target.measurements.push({
      value: data.value,
      asOf: data.asOf,
      bureauId: data.bureauId,
      position: event.position,
    })
  }
}

function applyMeeting(fold: Fold, meetingId: string, event: ReviewEvent): void {
  if (event.type !== 'ResolutionAdopted' && event.type !== 'ResolutionCorrected') return
  const data = event.data as { resolutionId: string; text: string; effect: ResolutionEffect }
  const key = `${meetingId}/${data.resolutionId}`
  const earlier = fold.resolutions.get(key)
  fold.resolutions.set(key, {
    meetingId,
    resolutionId: data.resolutionId,
    text: data.text,
    effect: data.effect,
    adoptedOn: earlier?.adoptedOn ?? cstDay(event.metadata.occurredAt),
    positions: [...(earlier?.positions ?? []), event.position],
  })
}

function applyResponsibility(fold: Fold, event: ReviewEvent): void {
  switch (event.type) {
    case 'BureauRegistered': {
      const data = event.data as BureauRegistered['data']
      if (data.effectiveDate > fold.last) return
      fold.bureaus.set(data.bureauId, {
        bureauId: data.bureauId,
        nameZh: data.nameZh,
        nameEn: data.nameEn,
        dissolvedOn: null,
      })
      return
    }
    case 'BureauRenamed': {
      const data = event.data as BureauRenamed['data']
      const bureau = fold.bureaus.get(event.streamId.slice('bureau-'.length))
      if (bureau === undefined || data.effectiveDate > fold.last) return
      bureau.nameZh = data.nameZh
      bureau.nameEn = data.nameEn
      return
    }
    case 'BureauDissolved': {
      const data = event.data as BureauDissolved['data']
      const bureau = fold.bureaus.get(event.streamId.slice('bureau-'.length))
      if (bureau === undefined || data.effectiveDate > fold.last) return
      bureau.dissolvedOn = data.effectiveDate
      return
    }
    case 'DutyReceived': {
      const data = event.data as DutyReceived['data']
      if (data.reorganisationId === undefined || !inYear(fold, data.effectiveDate)) return
      fold.duties.push({
        bureauId: data.toBureauId,
        dutyId: data.dutyId,
        title: data.duty.title,
        direction: 'gained',
        fromBureauId: data.fromBureauId,
        toBureauId: data.toBureauId,
        reorganisationId: data.reorganisationId,
        effectiveDate: data.effectiveDate,
        position: event.position,
      })
      return
    }
    case 'DutyTransferred': {
      const data = event.data as DutyTransferred['data']
      if (data.reorganisationId === undefined || !inYear(fold, data.effectiveDate)) return
      fold.duties.push({
        bureauId: data.fromBureauId,
        dutyId: data.dutyId,
        title: '',
        direction: 'lost',
        fromBureauId: data.fromBureauId,
        toBureauId: data.toBureauId,
        reorganisationId: data.reorganisationId,
        effectiveDate: data.effectiveDate,
        position: event.position,
      })
      return
    }
    default:
      return
  }
}

function figure(positions: Iterable<number>, value?: number): Figure {
  const sorted = [...new Set(positions)].sort((a, b) => a - b)
  return { value: value ?? 0, positions: sorted }
}

function countOf<T>(items: readonly T[], positionsOf: (item: T) => number[]): Figure {
  return figure(items.flatMap(positionsOf), items.length)
}

function reviewOf(fold: Fold, bureauId: string): BureauAnnualReview {
  const bureau = fold.bureaus.get(bureauId)
  const dayAfter = `${fold.year + 1}-01-01`
  const tasks = dueTasks(fold, bureauId, dayAfter)
  const acks = fold.acknowledgments.filter((a) => a.bureauId === bureauId).map(({ bureauId: _, ...a }) => a)
  const progress = fold.progress.filter((p) => p.bureauId === bureauId).map(({ bureauId: _, ...p }) => p)
  const rejections = fold.rejections.filter((r) => r.bureauId === bureauId).map(({ bureauId: _, ...r }) => r)
  const resolutions = resolutionsOf(fold, bureauId, dayAfter)
  const targets = targetsOf(fold, bureauId)
  const duties = fold.duties.filter((d) => d.bureauId === bureauId).map(({ bureauId: _, ...d }) => d)
  const byOutcome = (outcome: DueOutcome) => tasks.filter((task) => task.outcome === outcome)
  const byStatus = (status: ImplementationStatus) => resolutions.filter((r) => r.status === status)
  const delays = acks.map((a) => a.delayDays)
  const ackPositions = acks.flatMap((a) => a.positions)
  const average = delays.length === 0 ? 0 : delays.reduce((a, b) => a + b, 0) / delays.length
  const longest = acks.reduce<Acknowledgment | null>(
    (max, a) => (max === null || a.delayDays > max.delayDays ? a : max),
    null,
  )
  const attained = targets.filter((t) => t.attainment !== null && t.attainment >= 1)
  return {
    year: fold.year,
    bureauId,
    nameZh: bureau?.nameZh ?? bureauId,
    nameEn: bureau?.nameEn ?? bureauId,
    registered: bureau !== undefined,
    dissolvedOn: bureau?.dissolvedOn ?? null,
    tasksDue: countOf(tasks, (t) => t.positions),
    tasksOnTime: countOf(byOutcome('on_time'), (t) => t.positions),
    tasksLate: countOf(byOutcome('late'), (t) => t.positions),
    tasksOverdue: countOf(byOutcome('overdue'), (t) => t.positions),
    tasksSuspended: countOf(byOutcome('suspended'), (t) => t.positions),
    tasks,
    acknowledgments: countOf(acks, (a) => a.positions),
    averageAcknowledgmentDelayDays: figure(ackPositions, Math.round(average * 100) / 100),
    maxAcknowledgmentDelayDays: figure(longest?.positions ?? [], longest?.delayDays ?? 0),
    acknowledgmentItems: acks,
    progressReports: countOf(progress, (p) => [p.position]),
    progressItems: progress,
    completionsRejected: countOf(rejections, (r) => r.positions),
    rejectionItems: rejections,
    resolutionsAssigned: countOf(resolutions, (r) => r.positions),
    resolutionsDone: countOf(byStatus('done'), (r) => r.positions),
    resolutionsInProgress: countOf(byStatus('in_progress'), (r) => r.positions),
    resolutionsOverdue: countOf(byStatus('overdue'), (r) => r.positions),
    resolutionsNotStarted: countOf(byStatus('not_started'), (r) => r.positions),
    resolutionItems: resolutions,
    targetsReported: countOf(targets, (t) => t.positions),
    targetsAttained: countOf(attained, (t) => t.positions),
    targetItems: targets,
    dutiesGained: countOf(
      duties.filter((d) => d.direction === 'gained'),
      (d) => [d.position],
    ),
    dutiesLost: countOf(
      duties.filter((d) => d.direction === 'lost'),
      (d) => [d.position],
    ),
    dutyMoves: duties,
  }
}

/**
 * Tasks the bureau leads at the year end whose deadline falls in the year (cancelled ones left
 * out). On time: the accepted completion was submitted (or the task closed out) by the deadline;
 * late: after it; overdue: not done by the year end; suspended: paused by supervision, not done.
 */
function dueTasks(fold: Fold, bureauId: string, dayAfter: string): TaskDue[] {
  const due: TaskDue[] = []
  for (const task of fold.tasks.values()) {
    const { deadline } = task
    if (deadline === null || !inYear(fold, deadline) || task.status === 'cancelled') continue
    if (!task.leads.includes(bureauId)) continue
    const positions = [task.deadlinePosition ?? 0, ...(task.done?.positions ?? [])].filter((p) => p > 0)
    let outcome: DueOutcome
    let daysLate = 0
    if (task.done !== null) {
      daysLate = Math.max(0, daysBetween(deadline, task.done.day))
      outcome = daysLate > 0 ? 'late' : 'on_time'
    } else if (task.suspended) {
      outcome = 'suspended'
    } else {
      outcome = 'overdue'
      daysLate = daysBetween(deadline, dayAfter)
    }
    due.push({
      planId: task.planId,
      taskId: task.taskId,
      title: task.title,
      deadline,
      outcome,
      doneOn: task.done?.day ?? null,
      daysLate,
      positions: [...new Set(positions)].sort((a, b) => a - b),
    })
  }
  return due.sort((a, b) =>
    a.deadline === b.deadline ? compareKeys(a, b) : a.deadline < b.deadline ? -1 : 1,
  )
}

function compareKeys(a: { planId: string; taskId: string }, b: { planId: string; taskId: string }): number {
  const x = `${a.planId}/${a.taskId}`
  const y = `${b.planId}/${b.taskId}`
  return x < y ? -1 : x > y ? 1 : 0
}

/**
 * Resolutions adopted in the year that give work to the bureau as a lead (assign-work, or a change
 * of responsibility), with their implementation status at the year end, as the meetings service
 * computes it: done when the task is verified or closed out, overdue when past its deadline, in
 * progress once acknowledged or reported on, not started otherwise.
 */
function resolutionsOf(fold: Fold, bureauId: string, dayAfter: string): ResolutionItem[] {
  const items: ResolutionItem[] = []
  for (const resolution of fold.resolutions.values()) {
    const { effect } = resolution
    if (effect.kind !== 'assign-work' && effect.kind !== 'change-responsibility') continue
    if (!effect.leads.includes(bureauId) || !inYear(fold, resolution.adoptedOn)) continue
    const task = fold.tasks.get(`${effect.planId}/${effect.taskId}`)
    items.push({
      meetingId: resolution.meetingId,
      resolutionId: resolution.resolutionId,
      text: resolution.text,
      planId: effect.planId,
      taskId: effect.taskId,
      status: implementation(task, dayAfter),
      positions: [...resolution.positions, ...(task?.done?.positions ?? [])].sort((a, b) => a - b),
    })
  }
  return items
}

function implementation(task: TaskFold | undefined, today: string): ImplementationStatus {
  if (task === undefined) return 'not_started'
  if (task.status === 'verified' || task.status === 'closed') return 'done'
  const paused = task.status === 'cancelled' || task.suspended
  if (!paused && task.deadline !== null && task.deadline < today) return 'overdue'
  const started = task.acknowledged.size > 0 || task.progressed || task.status === 'submitted'
  return started ? 'in_progress' : 'not_started'
}

/** Targets the bureau is named to report on, or reported a measurement of, by the year end. */
function targetsOf(fold: Fold, bureauId: string): TargetItem[] {
  const items: TargetItem[] = []
  for (const [key, target] of fold.targets) {
    const { definition } = target
    const named = definition.reportingBureauIds.includes(bureauId)
    const own = target.measurements.filter((m) => m.bureauId === bureauId)
    if (!named && own.length === 0) continue
    const counted = named ? target.measurements : own
    let latest: TargetFold['measurements'][number] | null = null
    for (const m of counted) if (latest === null || m.asOf >= latest.asOf) latest = m
    items.push({
      planId: target.planId,
      targetId: key.slice(target.planId.length + 1),
      metric: definition.metric,
      unit: definition.unit,
      value: definition.value,
      latest: latest && { value: latest.value, asOf: latest.asOf },
      attainment:
        latest === null || definition.value === 0
          ? null
          : Math.round((latest.value / definition.value) * 10000) / 10000,
      positions: [target.position, ...(latest ? [latest.position] : [])],
    })
  }
  return items
}
