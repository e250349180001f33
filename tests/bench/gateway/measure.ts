// Timing helpers of the gateway benchmark: percentiles, an open-loop pacer and a closed-loop load.

/** The p-th percentile (0-100) of `samples`, by nearest rank; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank] as number
}

export function milliseconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6
}

/**
 * Starts `run(i)` at `perSecond` for `count` operations on a fixed schedule (open loop: a slow
 * operation does not delay the next start, so queueing shows in the latencies), and resolves with
 * what each returned once all have finished.
 */
export async function paced<T>(
  perSecond: number,
  count: number,
  run: (i: number) => Promise<T>,
): Promise<T[]> {
  const started = process.hrtime.bigint()
  const interval = 1e9 / perSecond
  const running: Promise<T>[] = []
  for (let i = 0; i < count; i++) {
    const due = Number(started) + i * interval
    const wait = (due - Number(process.hrtime.bigint())) / 1e6
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait))
    running.push(run(i))
  }
  return await Promise.all(running)
}

/**
 * Closed-loop load: `concurrency` clients each send `request()` again as soon as the last one
 * answered, for `seconds`. Resolves with requests per second; any failed request fails the run.
 */
export async function closedLoop(
  concurrency: number,
  seconds: number,
  request: () => Promise<void>,
): Promise<number> {
  const until = Date.now() + seconds * 1000
  let done = 0
  const started = process.hrtime.bigint()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        await request()
        done++
      }
    }),
  )
  return done / (milliseconds(started) / 1000)
}
