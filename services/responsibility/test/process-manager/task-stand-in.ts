import { DomainError, type Command, type Decider, type DomainEvent } from '@coord/domain'
import type { AssignTaskData } from '../../src/index.ts'

// A stand-in for the planning service's task decider, with the event shapes of @coord/events and
// the rules the process manager relies on: a task must be published and open to be reassigned,
// and an assignment equal to the current one records nothing. The real decider is wired in the
// platform; this one keeps these tests independent of the planning package.

export type TaskCommand =
  | Command<'PublishTask', { planId: string; taskId: string; title: string }>
  | Command<'AssignTask', AssignTaskData>
  | Command<'CloseTask', Record<string, never>>

type TaskState = { status: 'none' } | { status: 'open' | 'closed'; leads: string[]; partners: string[] }

export const taskStandIn: Decider<TaskCommand, DomainEvent, TaskState> = {
  initialState: { status: 'none' },
  decide(command, state) {
    if (command.type === 'PublishTask') {
      const { planId, taskId, title } = command.data
      const basis = { kind: 'plan-clause', planId, clause: taskId }
      return state.status === 'none'
        ? [{ type: 'TaskPublished', data: { planId, taskId, title, sectionPath: [], basis } }]
        : []
    }
    if (state.status === 'none') throw new DomainError('TASK_NOT_FOUND', 'no such task', 404)
    if (state.status === 'closed') throw new DomainError('TASK_CLOSED', 'the task is closed', 409)
    if (command.type === 'CloseTask') return [{ type: 'TaskClosed', data: {} }]
    const { leads, partners, cause } = command.data
    if (leads.join() === state.leads.join() && partners.join() === state.partners.join()) return []
    return [{ type: 'TaskAssigned', data: { leads, partners, ...(cause ? { cause } : {}) } }]
  },
  evolve(state, event) {
    const data = event.data as { leads?: string[]; partners?: string[] }
    switch (event.type) {
      case 'TaskPublished':
        return { status: 'open', leads: [], partners: [] }
      case 'TaskAssigned':
        return state.status === 'none'
          ? state
          : { ...state, leads: data.leads ?? [], partners: data.partners ?? [] }
      case 'TaskClosed':
        return state.status === 'none' ? state : { ...state, status: 'closed' }
      default:
        return state
    }
  },
}
