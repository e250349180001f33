// Year ends are China Standard Time (UTC+8, no daylight saving): 2026 ends at 2026-12-31T16:00Z.

const cstOffsetMs = 8 * 3600 * 1000

/** The year (in China Standard Time) of an instant given as an ISO string or epoch milliseconds. */
export function cstYear(time: string | number): number {
  const ms = typeof time === 'number' ? time : Date.parse(time)
  return new Date(ms + cstOffsetMs).getUTCFullYear()
}

/** The instant (epoch milliseconds) at which `year` ends in China Standard Time. */
export function yearEndInstant(year: number): number {
  return Date.UTC(year + 1, 0, 1) - cstOffsetMs
}

/** The years that ended between an event recorded at `from` and one recorded at `to`. */
export function yearsEndedBetween(from: string, to: string): number[] {
  const years: number[] = []
  for (let year = cstYear(from); year < cstYear(to); year++) years.push(year)
  return years
}
