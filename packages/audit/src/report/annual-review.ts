import type {
  Acknowledgment,
  AnnualReview,
  BureauAnnualReview,
  DueOutcome,
  Figure,
  ImplementationStatus,
  ResolutionItem,
  ReviewEvent,
  TargetItem,
  TaskDue,
} from './review-types.ts'
import { daysBetween, recordedBefore, reviewYearEnd } from './review-calendar.ts'
import { applyEvent, emptyFold, inYear, type Fold, type TargetFold, type TaskFold } from './review-fold.ts'

/**
 * The annual review of `year` (China Standard Time) folded one event at a time, so a log of any
 * length is read once and never held in memory: `take` each event of the log in position order
 * until it answers false, at the first event recorded after the year end (which it leaves out and
 * which ends the prefix the notary's year-end head covers), then ask for the `review`.
 */
export class YearReview {
  private readonly end: number
  private readonly fold: Fold
  private count = 0
  private last = 0

  constructor(readonly year: number) {
    if (!Number.isSafeInteger(year) || year < 1900 || year > 9999) throw new RangeError(`not a year: ${year}`)
    this.end = reviewYearEnd(year)
    this.fold = emptyFold(year)
  }

  /** Folds `event` in, or answers false when it was recorded after the year end: read no further. */
  take(event: ReviewEvent): boolean {
    if (!recordedBefore(event, this.end)) return false
    applyEvent(this.fold, event)
    this.count += 1
    this.last = event.position
    return true
  }

  /**
   * The review of every bureau registered by the year end, or of the bureaus named, from the
   * events taken so far. Business days come from `occurredAt`; what counts as "in the year" is that
   * day falling in it.
   */
  review(options: { bureauIds?: readonly string[] } = {}): AnnualReview {
    const fold = this.fold
    const wanted = options.bureauIds ?? [...fold.bureaus.keys()].sort()
    return {
      year: this.year,
      yearEnd: new Date(this.end).toISOString(),
      eventCount: this.count,
      lastPosition: this.last,
      bureaus: wanted.map((bureauId) => reviewOf(fold, bureauId)),
    }
  }
}

/**
 * The annual review of `year` for every bureau registered by its end, or for the bureaus named: a
 * pure fold over the events of `events` (the log in position order) recorded before the year end.
 * A log read as it streams goes through `YearReview` instead, which stops reading at the year end.
 */
export function annualReview(
  events: Iterable<ReviewEvent>,
  year: number,
  options: { bureauIds?: readonly string[] } = {},
): AnnualReview {
  const review = new YearReview(year)
  for (const event of events) if (!review.take(event)) break
  return review.review(options)
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
    // Attainment is judged on the year's own figures: a measurement dated in an earlier year is not one.
    let latest: TargetFold['measurements'][number] | null = null
    for (const m of counted)
      if (inYear(fold, m.asOf) && (latest === null || m.asOf >= latest.asOf)) latest = m
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
