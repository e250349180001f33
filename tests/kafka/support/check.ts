import type { RecordedEvent } from '@coord/eventstore'
import type { Test } from 'tap'
import { dedupe, type Received } from './topics.ts'

/**
 * What a topic must hold for `expected` (the store's events that belong on it): each of them at
 * least once (duplicates after a crash are allowed: consumers dedupe by ce_id), nothing else (on a
 * shared topic: nothing else of the `scope` streams), and each stream in one partition and in
 * revision order once repeats are dropped.
 */
export function checkTopic(
  t: Test,
  topic: string,
  records: Received[],
  expected: RecordedEvent[],
  scope?: Set<string>,
): void {
  const ours = scope ? records.filter((r) => scope.has(r.headers.ce_subject ?? '')) : records
  const unique = dedupe(ours)
  const wanted = new Set(expected.map((e) => e.id))
  const got = new Set(unique.map((r) => r.headers.ce_id))
  const missing = expected.filter((e) => !got.has(e.id))
  t.equal(missing.length, 0, `${topic}: every one of ${expected.length} events is there`, {
    missing: missing.slice(0, 5).map((e) => `${e.streamId}@${e.revision}`),
  })
  const strays = unique.filter((r) => !wanted.has(r.headers.ce_id ?? ''))
  t.equal(strays.length, 0, `${topic}: no event that does not belong there`)

  const disorder: string[] = []
  const partitions = new Map<string, Set<number>>()
  const last = new Map<string, number>()
  for (const record of unique) {
    const stream = record.headers.ce_subject ?? ''
    const revision = Number(record.headers.coord_revision)
    if (revision <= (last.get(stream) ?? 0)) disorder.push(`${stream}: ${revision} after ${last.get(stream)}`)
    last.set(stream, revision)
    const seen = partitions.get(stream) ?? new Set<number>()
    seen.add(record.partition)
    partitions.set(stream, seen)
  }
  t.same(disorder, [], `${topic}: every stream arrives in revision order`)
  const split = [...partitions].filter(([, p]) => p.size > 1).map(([s]) => s)
  t.same(split, [], `${topic}: every stream stays in one partition`)
  if (ours.length > unique.length) t.comment(`${topic}: ${ours.length - unique.length} duplicates (allowed)`)
}

/** The events that belong on a bureau's topic of a load: every event of its tasks, the publication included. */
export function eventsFor(
  events: RecordedEvent[],
  bureau: string,
  tasks: { streamId: string; lead: string; partner: string }[],
): RecordedEvent[] {
  const theirs = new Set(
    tasks.filter((k) => k.lead === bureau || k.partner === bureau).map((k) => k.streamId),
  )
  return events.filter((e) => theirs.has(e.streamId))
}
