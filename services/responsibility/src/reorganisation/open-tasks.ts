import { parsePlanningStreamId } from '@coord/events'

/** A task that still needs work from its bureaus: not verified, closed or cancelled. */
export interface OpenTask {
  streamId: string
  /** `<planId>/<taskId>`, the key of a split's task allocation. */
  key: string
  leads: string[]
  partners: string[]
}

interface TaskEventLike {
  streamId: string
  type: string
  data: unknown
}

/**
 * The open tasks of each bureau, folded from the task events of the log (streams `task-…`) in
 * log order. The process manager keeps one and feeds it from its subscription, so at any
 * reorganisation event it knows the tasks as they stood at that point of the log.
 */
export class OpenTasks {
  private readonly tasks = new Map<string, OpenTask>()

  apply(event: TaskEventLike): void {
    const id = parsePlanningStreamId(event.streamId)
    if (id?.kind !== 'task') return
    const { streamId } = event
    switch (event.type) {
      case 'TaskPublished':
        if (!this.tasks.has(streamId))
          this.tasks.set(streamId, { streamId, key: `${id.planId}/${id.taskId}`, leads: [], partners: [] })
        return
      case 'TaskAssigned': {
        const task = this.tasks.get(streamId)
        const { leads, partners } = event.data as { leads: string[]; partners: string[] }
        if (task) this.tasks.set(streamId, { ...task, leads: [...leads], partners: [...partners] })
        return
      }
      case 'CompletionVerified':
      case 'TaskClosed':
      case 'TaskCancelled':
        this.tasks.delete(streamId)
        return
      default:
        return
    }
  }

  /** The open tasks that name the bureau as lead or partner. */
  of(bureauId: string): OpenTask[] {
    return [...this.tasks.values()].filter(
      (task) => task.leads.includes(bureauId) || task.partners.includes(bureauId),
    )
  }
}
