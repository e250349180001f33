import type { CommandActor } from '@coord/domain'
import type { JsonValue, RecordedEvent } from '@coord/eventstore'

/**
 * What only the bureaus a task concerns, the supervision office and auditors may read of its
 * events: progress narratives and evidence, completion summaries, verification notes and
 * rejection reasons. The same rule guards the GraphQL gateway's `restricted` fields.
 */
export const restrictedData: Readonly<Record<string, readonly string[]>> = {
  ProgressReported: ['narrative', 'evidence'],
  CompletionSubmitted: ['summary', 'evidence'],
  CompletionVerified: ['note'],
  CompletionRejected: ['reason'],
}

/** An event as a reader may see it: `redacted` names the data fields withheld. */
export type VisibleEvent = RecordedEvent & { redacted?: string[] }

/** The bureaus a task's events name as lead or partner at any time of its life. */
function concernedBureaus(events: readonly RecordedEvent[]): Set<string> {
  const bureaus = new Set<string>()
  for (const event of events) {
    if (event.type !== 'TaskAssigned') continue
    const data = event.data as { leads?: string[]; partners?: string[] }
    for (const id of [...(data.leads ?? []), ...(data.partners ?? [])]) bureaus.add(id)
  }
  return bureaus
}

function mayReadRestricted(actor: CommandActor, events: readonly RecordedEvent[]): boolean {
  if (actor.role === 'supervisor' || actor.role === 'auditor' || actor.role === 'system') return true
  return (
    actor.role === 'bureau' && actor.bureauId !== undefined && concernedBureaus(events).has(actor.bureauId)
  )
}

/** A task's events for `actor`, with the restricted fields removed where the actor may not read them. */
export function eventsFor(actor: CommandActor, events: readonly RecordedEvent[]): VisibleEvent[] {
  if (mayReadRestricted(actor, events)) return [...events]
  return events.map((event) => {
    const fields = restrictedData[event.type]
    if (fields === undefined) return event
    const data = { ...(event.data as Record<string, JsonValue>) }
    for (const field of fields) delete data[field]
    return { ...event, data, redacted: [...fields] }
  })
}
