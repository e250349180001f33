/**
 * Calendar days for meetings. Days are 'YYYY-MM-DD' in China Standard Time (UTC+8, no daylight
 * saving), the time the bureaus work in; a command's `now` is an instant, shifted by the fixed
 * offset before its day is taken, so no clock or zone database is read.
 */
const BUSINESS_UTC_OFFSET_MS = 8 * 60 * 60 * 1000

/** 'YYYY-MM-DD' naming a real day (no 2018-02-30). */
export function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const time = Date.parse(`${value}T00:00:00Z`)
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === value
}

/** The business day an instant falls on, or undefined when `now` is no ISO date-time. */
export function businessDay(now: string): string | undefined {
  const time = Date.parse(now)
  if (!Number.isFinite(time)) return undefined
  return new Date(time + BUSINESS_UTC_OFFSET_MS).toISOString().slice(0, 10)
}
