import { unreachable } from '@coord/domain'
import type { TaskBasis, TaskEvent } from '@coord/events'

export type TaskStatus =
  | 'published'
  | 'assigned'
  | 'acknowledged'
  | 'in_progress'
  | 'completion_submitted'
  | 'verified'
  | 'closed'
  | 'suspended'
  | 'cancelled'

/** The statuses a task can be suspended from, and so resumed to. */
export type ResumableStatus =
  'published' | 'assigned' | 'acknowledged' | 'in_progress' | 'completion_submitted'

export const resumableStatuses: readonly ResumableStatus[] = [
  'published',
  'assigned',
  'acknowledged',
  'in_progress',
  'completion_submitted',
]

export interface TaskFacts {
  planId: string
  taskId: string
  title: string
  sectionPath: string[]
  basis: TaskBasis
  leads: string[]
  partners: string[]
  /** Current leads that signed for the task; a lead that is replaced leaves this list. */
  acknowledgedBy: string[]
  deadline: string | null
  /** The latest percentage each bureau reported. */
  progress: Record<string, number>
  /** The deadline values that got each notice, so a value gets each notice at most once. */
  notices: { approaching: string[]; missed: string[] }
}

export type ActiveTask = TaskFacts & { status: Exclude<TaskStatus, 'suspended'> }
export type SuspendedTask = TaskFacts & { status: 'suspended'; resumeTo: ResumableStatus }
export type ExistingTask = ActiveTask | SuspendedTask
export type Task = { status: 'none' } | ExistingTask

export const initialState: Task = { status: 'none' }

export function factsOf(state: ExistingTask): TaskFacts {
  if (state.status === 'suspended') {
    const { status: _status, resumeTo: _resumeTo, ...facts } = state
    return facts
  }
  const { status: _status, ...facts } = state
  return facts
}

/** The status a task is in, or will resume to when suspended. */
export function effectiveStatus(state: ExistingTask): Exclude<TaskStatus, 'suspended'> {
  return state.status === 'suspended' ? state.resumeTo : state.status
}

/** Moves an unsuspended task to `status`, or changes where a suspended one resumes to. */
function moveTo(state: ExistingTask, status: ResumableStatus): ExistingTask {
  return state.status === 'suspended' ? { ...state, resumeTo: status } : { ...state, status }
}

/** Before work starts, whether any current lead signed decides between assigned and acknowledged. */
function assignedStatus(state: ExistingTask, acknowledgedBy: string[]): ResumableStatus | undefined {
  const status = effectiveStatus(state)
  if (status !== 'published' && status !== 'assigned' && status !== 'acknowledged') return undefined
  return acknowledgedBy.length > 0 ? 'acknowledged' : 'assigned'
}

function onAssigned(state: ExistingTask, leads: string[], partners: string[]): ExistingTask {
  const acknowledgedBy = state.acknowledgedBy.filter((bureauId) => leads.includes(bureauId))
  const next = { ...state, leads: [...leads], partners: [...partners], acknowledgedBy }
  const status = assignedStatus(state, acknowledgedBy)
  return status === undefined ? next : moveTo(next, status)
}

function onProgress(state: ExistingTask, bureauId: string, percent: number): ExistingTask {
  const next = { ...state, progress: { ...state.progress, [bureauId]: percent } }
  const status = effectiveStatus(state)
  return status === 'assigned' || status === 'acknowledged' ? moveTo(next, 'in_progress') : next
}

function onSuspended(state: ExistingTask): ExistingTask {
  const resumeTo = effectiveStatus(state)
  if (!(resumableStatuses as readonly string[]).includes(resumeTo)) return state
  return { ...factsOf(state), status: 'suspended', resumeTo: resumeTo as ResumableStatus }
}

function withNotice(state: ExistingTask, kind: 'approaching' | 'missed', deadline: string): ExistingTask {
  if (state.notices[kind].includes(deadline)) return state
  return { ...state, notices: { ...state.notices, [kind]: [...state.notices[kind], deadline] } }
}

export function evolve(state: Task, event: TaskEvent): Task {
  if (event.type === 'TaskPublished') {
    const { planId, taskId, title, sectionPath, basis } = event.data
    const facts = { planId, taskId, title, sectionPath: [...sectionPath], basis }
    const empty = { leads: [], partners: [], acknowledgedBy: [], deadline: null, progress: {} }
    return { status: 'published', ...facts, ...empty, notices: { approaching: [], missed: [] } }
  }
  // Every other event extends a published task; a stream that starts elsewhere is no task.
  if (state.status === 'none') return state
  switch (event.type) {
    case 'TaskAssigned':
      return onAssigned(state, event.data.leads, event.data.partners)
    case 'TaskAcknowledged': {
      const { bureauId } = event.data
      const acknowledgedBy = state.acknowledgedBy.includes(bureauId)
        ? state.acknowledgedBy
        : [...state.acknowledgedBy, bureauId]
      return effectiveStatus(state) === 'assigned'
        ? moveTo({ ...state, acknowledgedBy }, 'acknowledged')
        : { ...state, acknowledgedBy }
    }
    case 'DeadlineSet':
      return { ...state, deadline: event.data.deadline }
    case 'DeadlineChanged':
      return { ...state, deadline: event.data.to }
    case 'ProgressReported':
      return onProgress(state, event.data.bureauId, event.data.percent)
    case 'CompletionSubmitted':
      return moveTo(state, 'completion_submitted')
    case 'CompletionVerified':
      return { ...factsOf(state), status: 'verified' }
    case 'CompletionRejected':
      return moveTo(state, 'in_progress')
    case 'TaskClosed':
      return { ...factsOf(state), status: 'closed' }
    case 'TaskSuspended':
      return onSuspended(state)
    case 'TaskResumed':
      return state.status === 'suspended' ? { ...factsOf(state), status: state.resumeTo } : state
    case 'TaskCancelled':
      return { ...factsOf(state), status: 'cancelled' }
    case 'DeadlineApproaching':
      return withNotice(state, 'approaching', event.data.deadline)
    case 'DeadlineMissed':
      return withNotice(state, 'missed', event.data.deadline)
    default:
      return unreachable(event)
  }
}
