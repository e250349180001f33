import { uuidv7, type EventMetadata, type EventStore, type NewEvent } from '@coord/eventstore'

export const planId = 'bench-replay'
const bureaus = Array.from({ length: 20 }, (_, i) => `bench-b${i}`)
/** Events per task stream: published, assigned, a deadline, acknowledged, then progress reports. */
const perTask = 50

function meta(bureauId?: string): EventMetadata {
  return {
    actor: bureauId
      ? { role: 'bureau', bureauId, user: `${bureauId}-clerk` }
      : { role: 'planner', user: 'bench' },
    correlationId: uuidv7(),
    causationId: null,
    occurredAt: '2019-03-01T02:00:00.000Z',
  }
}

/** One task's history; every tenth task changes hands half-way, so the assignment tables move too. */
function taskEvents(i: number): NewEvent[] {
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
    if (i % 10 === 0 && n === perTask / 2) {
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

/**
 * About `total` events (whole tasks of 50) appended straight to the store, a task's events in one
 * append and four appends at a time: the store's own bulk path (group commit), not HTTP. Events are
 * built a task at a time, so a million never sit in memory together.
 */
export async function seedTasks(store: EventStore, total: number, onTask?: (done: number) => void) {
  const tasks = Math.ceil(total / perTask)
  let next = 0
  let done = 0
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < tasks) {
        const i = next++
        await store.appendToStream(`task-${planId}/三.(二).${i}`, taskEvents(i))
        onTask?.(++done)
      }
    }),
  )
}
