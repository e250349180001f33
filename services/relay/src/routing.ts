import type { RecordedEvent } from '@coord/eventstore'

type Data = Record<string, unknown>

// Fields of event data (and of a resolution's effect) that name a bureau the event concerns.
const singleFields = ['bureauId', 'fromBureauId', 'toBureauId', 'intoBureauId'] as const
const listFields = ['leads', 'partners', 'fromBureauIds', 'intoBureauIds', 'reportingBureauIds'] as const

/**
 * Decides which bureaus an event concerns: the tasks a bureau leads or partners on (every event of
 * such a task's stream), resolutions assigning it work, its own bureau and duty-list streams, and
 * reorganisations and duty transfers naming it. It remembers each task's current assignment, so an
 * acknowledgement or a deadline change reaches the task's bureaus, and a reassignment reaches both
 * the bureaus that lose the task and those that gain it.
 */
export class BureauRouter {
  private readonly assignments = new Map<string, string[]>()
  /** Each task's publication, and the bureaus whose topics already carry it. */
  private readonly publications = new Map<string, { event: RecordedEvent; sentTo: Set<string> }>()

  /** Learns from an event (a task assignment) and answers the bureaus it concerns. */
  route(event: RecordedEvent): string[] {
    const concerned = new Set<string>(this.assignments.get(event.streamId) ?? [])
    const data = (event.data ?? {}) as Data
    for (const id of namedBureaus(data)) concerned.add(id)
    for (const effect of [data.effect, (data.previous as Data | undefined)?.effect]) {
      if (!isObject(effect)) continue
      for (const id of namedBureaus(effect)) concerned.add(id)
      const task = taskOfEffect(effect)
      for (const id of (task && this.assignments.get(task)) ?? []) concerned.add(id)
    }
    for (const id of bureausOfStream(event.streamId)) concerned.add(id)
    if (event.type === 'TaskAssigned')
      this.assignments.set(event.streamId, listed(data, ['leads', 'partners']))
    if (event.type === 'TaskPublished')
      this.publications.set(event.streamId, { event, sentTo: new Set(concerned) })
    return [...concerned].sort()
  }

  /**
   * A task is published before anyone is assigned to it, so its bureaus' topics would never carry
   * what the task is (its title, section, basis). The first time an event of the task goes to a
   * bureau, the task's publication goes there first: this answers it and the bureaus that lack it
   * among `bureaus` (what `route` answered for `event`), and counts them as having it from now on.
   */
  introductions(
    event: RecordedEvent,
    bureaus: readonly string[],
  ): { event: RecordedEvent; bureaus: string[] } | null {
    const publication = this.publications.get(event.streamId)
    if (!publication || publication.event === event) return null
    const missing = bureaus.filter((bureau) => !publication.sentTo.has(bureau))
    if (missing.length === 0) return null
    for (const bureau of missing) publication.sentTo.add(bureau)
    return { event: publication.event, bureaus: missing }
  }

  /**
   * Replays what was relayed before a restart (every TaskPublished and TaskAssigned up to the
   * checkpoint, in log order), so routing and introductions continue where they stopped.
   */
  remember(event: RecordedEvent): void {
    if (event.type === 'TaskPublished') this.publications.set(event.streamId, { event, sentTo: new Set() })
    if (event.type === 'TaskAssigned') {
      const bureaus = listed(event.data as Data, ['leads', 'partners'])
      this.assignments.set(event.streamId, bureaus)
      for (const bureau of bureaus) this.publications.get(event.streamId)?.sentTo.add(bureau)
    }
  }
}

function namedBureaus(data: Data): string[] {
  const single = singleFields
    .map((f) => data[f])
    .filter((v): v is string => typeof v === 'string' && v !== '')
  return [...single, ...listed(data, listFields)]
}

function listed(data: Data, fields: readonly string[]): string[] {
  return fields.flatMap((f) => {
    const value = data[f]
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : []
  })
}

function taskOfEffect(effect: Data): string | null {
  const { planId, taskId } = effect
  return typeof planId === 'string' && typeof taskId === 'string' ? `task-${planId}/${taskId}` : null
}

function bureausOfStream(streamId: string): string[] {
  if (streamId.startsWith('bureau-')) return [streamId.slice('bureau-'.length)]
  const duties = /^duties-(.+)-(power|responsibility)$/.exec(streamId)
  return duties?.[1] ? [duties[1]] : []
}

function isObject(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
