import { uuidv7, type EventMetadata, type EventStore, type NewEvent } from '@coord/eventstore'

export const planId = 'bench-plan'
export const bureaus = Array.from({ length: 20 }, (_, i) => `bench-b${i}`)

function meta(bureauId?: string): EventMetadata {
  return {
    actor: bureauId
      ? { role: 'bureau', bureauId, user: `${bureauId}-clerk` }
      : { role: 'planner', user: 'bench' },
    correlationId: uuidv7(),
    causationId: null,
    occurredAt: new Date().toISOString(),
  }
}

export const taskStream = (i: number) => `task-${planId}/三.(二).${i}`

/** One task's history: published, assigned to a lead and a partner, a deadline, then reports. */
function taskEvents(i: number, perTask: number): NewEvent[] {
  const taskId = `三.(二).${i}`
  const lead = bureaus[i % bureaus.length] as string
  const partner = bureaus[(i + 7) % bureaus.length] as string
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

/**
 * `tasks` tasks of `perTask` events each, appended a few tasks at a time in rounds (every task
 * gets its next events in each round), so the history interleaves as a real year's would and its
 * recording instants spread over the whole seeding.
 */
export async function seedHistory(store: EventStore, tasks: number, perTask: number): Promise<void> {
  const all = Array.from({ length: tasks }, (_, i) => taskEvents(i, perTask))
  const chunk = 10
  for (let from = 0; from < perTask; from += chunk) {
    let next = 0
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < tasks) {
          const i = next++
          const events = all[i]?.slice(from, from + chunk) ?? []
          if (events.length > 0) await store.appendToStream(taskStream(i), events)
        }
      }),
    )
  }
}
