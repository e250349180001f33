// Days and year ends in China Standard Time, as the annual review counts them.
import type { ReviewEvent } from './review-types.ts'

const cstOffsetMs = 8 * 3600 * 1000
const dayMs = 24 * 3600 * 1000

/** The instant (epoch milliseconds) `year` ends in China Standard Time. */
export function reviewYearEnd(year: number): number {
  return Date.UTC(year + 1, 0, 1) - cstOffsetMs
}

/** The calendar day in China Standard Time of an ISO instant. */
export function cstDay(time: string): string {
  return new Date(Date.parse(time) + cstOffsetMs).toISOString().slice(0, 10)
}

/** Whole days from day `from` to day `to` ('YYYY-MM-DD'); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs)
}

/**
 * The events a review of `year` reads: the prefix of the log recorded before the year ends. The
 * log is read in position order and the first event recorded after the year end ends the prefix,
 * which is the prefix the notary's year-end tree head covers.
 */
export function yearPrefix<E extends ReviewEvent>(events: Iterable<E>, year: number): E[] {
  const end = reviewYearEnd(year)
  const prefix: E[] = []
  for (const event of events) {
    if (!recordedBefore(event, end)) break
    prefix.push(event)
  }
  return prefix
}

/** Whether `event` was recorded before the instant `end` (epoch milliseconds). */
export function recordedBefore(event: ReviewEvent, end: number): boolean {
  return Date.parse(event.metadata.recordedAt) < end
}
