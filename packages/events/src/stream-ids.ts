/**
 * Stream ids of the planning service: `plan-<planId>` and `task-<planId>/<taskId>`. A task id is a
 * numbering path ('三.(二).7') and may hold any character, so the plan id must not contain '/':
 * the first '/' separates the two.
 */
/** The longest task id the planning service accepts (its routes refuse longer ones). */
export const maxTaskIdLength = 64

export type PlanningStreamId =
  { kind: 'plan'; planId: string } | { kind: 'task'; planId: string; taskId: string }

export function planStreamId(planId: string): string {
  return `plan-${checkedPlanId(planId)}`
}

export function taskStreamId(planId: string, taskId: string): string {
  if (taskId === '') throw new RangeError('a task id must not be empty')
  return `task-${checkedPlanId(planId)}/${taskId}`
}

/** The ids a planning stream id names, or undefined when it is not one. */
export function parsePlanningStreamId(streamId: string): PlanningStreamId | undefined {
  if (streamId.startsWith('plan-')) {
    const planId = streamId.slice('plan-'.length)
    return validPlanId(planId) ? { kind: 'plan', planId } : undefined
  }
  if (streamId.startsWith('task-')) {
    const rest = streamId.slice('task-'.length)
    const slash = rest.indexOf('/')
    if (slash < 0) return undefined
    const planId = rest.slice(0, slash)
    const taskId = rest.slice(slash + 1)
    return validPlanId(planId) && taskId !== '' ? { kind: 'task', planId, taskId } : undefined
  }
  return undefined
}

function validPlanId(planId: string): boolean {
  return planId !== '' && !planId.includes('/')
}

function checkedPlanId(planId: string): string {
  if (!validPlanId(planId)) throw new RangeError(`a plan id must be non-empty and without '/': ${planId}`)
  return planId
}
