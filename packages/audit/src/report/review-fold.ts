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
import type { Acknowledgment, DutyMove, ProgressItem, RejectionItem, ReviewEvent } from './review-types.ts'
import { cstDay, daysBetween } from './review-calendar.ts'

// The fold behind the annual review: what each event changes in the year's tallies.

export interface TaskFold {
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

export interface ResolutionFold {
  meetingId: string
  resolutionId: string
  text: string
  effect: ResolutionEffect
  adoptedOn: string
  positions: number[]
}

export interface TargetFold {
  planId: string
  definition: TargetDefined['data']
  position: number
  measurements: { value: number; asOf: string; bureauId: string | null; position: number }[]
}

export interface BureauFold {
  bureauId: string
  nameZh: string
  nameEn: string
  dissolvedOn: string | null
}

export interface Fold {
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

/** The state of `year`'s review before any event: `applyEvent` takes the events in position order. */
export function emptyFold(year: number): Fold {
  return {
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
}

/** What one event of the year's prefix changes in the fold. */
export function applyEvent(fold: Fold, event: ReviewEvent): void {
  const planning = parsePlanningStreamId(event.streamId)
  if (planning?.kind === 'task') return applyTask(fold, planning.planId, planning.taskId, event)
  if (planning?.kind === 'plan') return applyPlan(fold, planning.planId, event)
  const meetingId = parseMeetingStreamId(event.streamId)
  if (meetingId !== undefined) return applyMeeting(fold, meetingId, event)
  applyResponsibility(fold, event)
}

export const inYear = (fold: Fold, day: string) => day >= fold.first && day <= fold.last

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
      moveDuty(fold, data, 'gained', data.toBureauId, data.duty.title, event.position)
      return
    }
    case 'DutyTransferred': {
      const data = event.data as DutyTransferred['data']
      moveDuty(fold, data, 'lost', data.fromBureauId, '', event.position)
      return
    }
    default:
      return
  }
}

/** A duty a reorganisation moved in the year, seen from the bureau that gained or lost it. */
function moveDuty(
  fold: Fold,
  data: DutyTransferred['data'],
  direction: DutyMove['direction'],
  bureauId: string,
  title: string,
  position: number,
): void {
  if (data.reorganisationId === undefined || !inYear(fold, data.effectiveDate)) return
  fold.duties.push({
    bureauId,
    dutyId: data.dutyId,
    title,
    direction,
    fromBureauId: data.fromBureauId,
    toBureauId: data.toBureauId,
    reorganisationId: data.reorganisationId,
    effectiveDate: data.effectiveDate,
    position,
  })
}
