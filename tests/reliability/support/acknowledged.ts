import type { EventStore, RecordedEvent } from '@coord/eventstore'

/** What a command's 2xx answer says it appended: the last event's revision and position, and every event's type. */
export interface Acknowledged {
  streamId: string
  revision: number
  position: number
  events: string[]
}

/** Posts a JSON command; a reset connection or a refused one (the process is gone) rejects. */
export async function post(
  url: string,
  path: string,
  authorization: string,
  body: object,
): Promise<{ status: number; text: string }> {
  const response = await fetch(new URL(path, url), {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: response.status, text: await response.text() }
}

export async function streamEvents(store: EventStore, streamId: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = []
  for await (const event of store.readStream(streamId)) events.push(event)
  return events
}

/**
 * The acknowledged commands the store does not hold in full: each must find its events, of the
 * types it named, at the revisions ending at its revision and the position it was told.
 */
export async function lostCommands(store: EventStore, acknowledged: Acknowledged[]): Promise<string[]> {
  const lost: string[] = []
  const streams = new Map<string, RecordedEvent[]>()
  for (const ack of acknowledged) {
    let events = streams.get(ack.streamId)
    if (!events) {
      events = await streamEvents(store, ack.streamId)
      streams.set(ack.streamId, events)
    }
    const first = ack.revision - ack.events.length + 1
    const found = events.filter((e) => e.revision >= first && e.revision <= ack.revision)
    const whole =
      found.length === ack.events.length &&
      found.every((e, i) => e.type === ack.events[i]) &&
      found.at(-1)?.position === ack.position
    if (!whole) lost.push(`${ack.streamId}@${ack.revision} (${ack.events.join(', ')})`)
  }
  return lost
}

/** The body of a command registering bureau `bureauId`: the smallest write with its own stream. */
export function bureauRegistration(bureauId: string): Record<string, string> {
  return {
    bureauId,
    nameZh: `区${bureauId}局`,
    nameEn: bureauId,
    shortName: bureauId,
    kind: '委办局',
    effectiveDate: '2017-01-01',
  }
}
