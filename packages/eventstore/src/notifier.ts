/**
 * Wakes subscribers when an append commits. A waiter passes the generation it saw before reading,
 * so an append that commits between its read and its wait is never missed.
 */
export class AppendNotifier {
  private generationCount = 0
  private waiters = new Set<() => void>()

  get generation(): number {
    return this.generationCount
  }

  notify(): void {
    this.generationCount += 1
    const waiters = this.waiters
    this.waiters = new Set()
    for (const wake of waiters) wake()
  }

  /** Resolves at the next append after `seen`, or after `timeoutMs` (a safety poll). */
  wait(seen: number, timeoutMs: number): Promise<void> {
    if (this.generationCount !== seen) return Promise.resolve()
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer)
        this.waiters.delete(wake)
        resolve()
      }
      const timer = setTimeout(wake, timeoutMs)
      timer.unref()
      this.waiters.add(wake)
    })
  }
}
