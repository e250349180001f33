/**
 * Calendar days in China Standard Time (UTC+8, no daylight saving), the time the bureaus work in.
 * Days are 'YYYY-MM-DD' strings, so comparing them as strings compares them as days.
 */
const BUSINESS_UTC_OFFSET_MS = 8 * 60 * 60 * 1000

/** 'YYYY-MM-DD' naming a real day (no 2019-02-30). */
export function isDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const time = Date.parse(`${value}T00:00:00Z`)
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === value
}

/** The business day an instant falls on. */
export function businessDay(instant: Date): string {
  return new Date(instant.getTime() + BUSINESS_UTC_OFFSET_MS).toISOString().slice(0, 10)
}

/** The first instant of a business day, as the business time (`occurredAt`) of what takes effect then. */
export function startOfDay(day: string): string {
  return `${day}T00:00:00+08:00`
}

/** A span of days: from `from` (inclusive) to `until` (exclusive; null: open-ended). */
export interface Span {
  from: string
  until: string | null
}

export function covers(span: Span, day: string): boolean {
  return span.from <= day && (span.until === null || day < span.until)
}

/** Whether the span has any day on or after `day`. */
export function reachesOnOrAfter(span: Span, day: string): boolean {
  return span.until === null || span.until > day
}
