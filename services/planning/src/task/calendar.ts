/**
 * Calendar arithmetic for deadlines. Deadlines are calendar days in China Standard Time (UTC+8,
 * no daylight saving), the time the bureaus work in; a command's `now` is an instant, so it is
 * shifted by the fixed offset before its day is taken. A process in another zone gets the same
 * answer, and no clock or zone database is read.
 */
const BUSINESS_UTC_OFFSET_MS = 8 * 60 * 60 * 1000
const DAY_MS = 24 * 60 * 60 * 1000

/** 'YYYY-MM-DD' naming a real day (no 2019-02-30). */
export function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const time = Date.parse(`${value}T00:00:00Z`)
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === value
}

export function isYear(value: string): boolean {
  return /^\d{4}$/.test(value)
}

/** The business day an instant falls on, or undefined when `now` is no ISO date-time. */
export function businessDay(now: string): string | undefined {
  const time = Date.parse(now)
  if (!Number.isFinite(time)) return undefined
  return new Date(time + BUSINESS_UTC_OFFSET_MS).toISOString().slice(0, 10)
}

/** Whole days from `from` to `to` (both 'YYYY-MM-DD'); negative when `to` lies before `from`. */
export function daysBetween(from: string, to: string): number {
  return Math.round((dayStart(to) - dayStart(from)) / DAY_MS)
}

/**
 * Each day's start (UTC ms), parsed once: a bureau's view counts the days overdue of each of its
 * tasks against the same today and a few hundred deadlines, and parsing a date string is the
 * costly part. Bounded, as any text may be asked.
 */
const dayStarts = new Map<string, number>()

function dayStart(day: string): number {
  let time = dayStarts.get(day)
  if (time === undefined) {
    time = Date.parse(`${day}T00:00:00Z`)
    if (dayStarts.size >= 4096) dayStarts.clear()
    dayStarts.set(day, time)
  }
  return time
}
