import { uuidv7, type EventMetadata, type NewEvent } from '@coord/eventstore'

export const benchBureaus = Array.from({ length: 20 }, (_, i) => `bench-b${i}`)

export interface TaskHistoryOptions {
  planId: string
  /** Events in the task's stream. */
  perTask: number
  /** Business time of every event; default the moment each is built. */
  occurredAt?: string
  /** Every tenth task changes hands half-way (leads and partners swap). */
  handOver?: boolean
}

/**
 * Task `i` of a benchmark plan: published, assigned to a lead and a partner, a deadline,
 * acknowledged, then progress reports of its lead up to `perTask` events.
 */
export function taskHistory(i: number, options: TaskHistoryOptions): NewEvent[] {
  const { planId, perTask } = options
  const meta = (bureauId?: string): EventMetadata => ({
    actor: bureauId
      ? { role: 'bureau', bureauId, user: `${bureauId}-clerk` }
      : { role: 'planner', user: 'bench' },
    correlationId: uuidv7(),
    causationId: null,
    occurredAt: options.occurredAt ?? new Date().toISOString(),
  })
  const taskId = `三.(二).${i}`
  const lead = benchBureaus[i % benchBureaus.length] as string
  const partner = benchBureaus[(i + 7) % benchBureaus.length] as string
  const events: NewEvent[] = [
    {
      id: uuidv7(),
      type: 'TaskPublished',
      data: {
        planId,
        taskId,
        title: `加强展会知识产权保护（第${i}项）`,
        sectionPath: ['三', '(二)'],
        basis: { kind: 'plan-clause', planId, clause: taskId },
      },
      metadata: meta(),
    },
    { id: uuidv7(), type: 'TaskAssigned', data: { leads: [lead], partners: [partner] }, metadata: meta() },
    {
      id: uuidv7(),
      type: 'DeadlineSet',
      data: { deadline: `2019-${String((i % 12) + 1).padStart(2, '0')}-28` },
      metadata: meta(),
    },
    { id: uuidv7(), type: 'TaskAcknowledged', data: { bureauId: lead }, metadata: meta(lead) },
  ]
  for (let n = 1; events.length < perTask; n++) {
    if (options.handOver && i % 10 === 0 && n === perTask / 2) {
      events.push({
        id: uuidv7(),
        type: 'TaskAssigned',
        data: { leads: [partner], partners: [lead] },
        metadata: meta(),
      })
      continue
    }
    events.push({
      id: uuidv7(),
      type: 'ProgressReported',
      data: {
        bureauId: lead,
        percent: n % 100,
        narrative: `第${n}次进展：备案、巡查、纠纷调解`,
        evidence: [],
      },
      metadata: meta(lead),
    })
  }
  return events
}
