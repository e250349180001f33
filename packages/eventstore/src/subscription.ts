import type { AppendNotifier } from './notifier.ts'
import type { EventHandler, ReadAllFilter, RecordedEvent, SubscribeOptions, Subscription } from './types.ts'

export interface SubscriptionSource {
  readPage(fromPosition: number, limit: number, filter: ReadAllFilter | undefined): Promise<RecordedEvent[]>
  notifier: AppendNotifier
  /** Safety poll when no wake-up arrives (e.g. while the LISTEN connection is being re-made). */
  pollIntervalMs: number
  pageSize: number
  warn(error: unknown, message: string): void
}

/** How long a hole in the positions may stay open before the subscription stops and says so. */
const maxGapWaitMs = 10_000

/**
 * Catches up from a position, then follows live appends. It delivers events one at a time in
 * position order and only advances past an event once its handler has returned. Read errors
 * (a dropped connection) are retried from the last delivered position; a handler error stops it.
 */
export class AllSubscription implements Subscription {
  position: number
  readonly done: Promise<void>
  private stopped = false
  private readonly stopSignal: Promise<void>
  private signalStop: () => void = () => undefined

  constructor(
    private readonly source: SubscriptionSource,
    private readonly options: SubscribeOptions,
    private readonly handler: EventHandler,
  ) {
    this.position = Math.max(0, (options.fromPosition ?? 1) - 1)
    // Stopping must interrupt any wait, whenever it comes: a wait that starts after stop() was
    // called sees the already-settled signal and returns at once.
    this.stopSignal = new Promise((resolve) => (this.signalStop = resolve))
    this.done = this.run()
    // A caller that never awaits `done` must still not see an unhandled rejection crash the process.
    this.done.catch(() => undefined)
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.signalStop()
    await this.done.catch(() => undefined)
  }

  private async run(): Promise<void> {
    let failures = 0
    let gapSince: number | null = null
    // The next page, read while the handler works through the current one.
    let ahead: { seen: number; page: Promise<RecordedEvent[]> } | null = null
    while (!this.stopped) {
      const seen = ahead?.seen ?? this.source.notifier.generation
      let page: RecordedEvent[]
      try {
        page = await (ahead?.page ?? this.readAfter(this.position))
        failures = 0
      } catch (error) {
        if (this.stopped) return
        failures += 1
        this.source.warn(error, 'subscription read failed; retrying from the last delivered position')
        await this.sleep(Math.min(5000, 100 * 2 ** Math.min(failures, 6)))
        continue
      } finally {
        ahead = null
      }
      if (page.length === 0) {
        await this.idle(seen)
        continue
      }
      const ready = this.options.filter ? page : this.denseRun(page)
      if (ready.length === 0) {
        // Never deliver past a hole: wait for it to fill, and fail loudly if it never does.
        gapSince ??= Date.now()
        if (Date.now() - gapSince > maxGapWaitMs) {
          throw new Error(
            `position ${this.position + 1} is missing from the log (next: ${page[0]?.position})`,
          )
        }
        await this.sleep(50)
        continue
      }
      gapSince = null
      const last = ready[ready.length - 1]
      if (last && ready.length === page.length && page.length >= this.source.pageSize) {
        // A full page: more is likely waiting. Its read overlaps the delivery; a failed read is
        // reported by the next round's await (and never as an unhandled rejection meanwhile).
        const next = this.readAfter(last.position)
        next.catch(() => undefined)
        ahead = { seen: this.source.notifier.generation, page: next }
      }
      await this.deliver(ready)
      // Delivery stopped early (stop() or a handler error): the page read ahead is not used.
      if (last && this.position !== last.position) ahead = null
      // A short page was all there was when it was read: anything appended since has woken the
      // notifier after `seen`, so wait for that instead of reading an empty page to find out.
      else if (!ahead && page.length < this.source.pageSize) await this.idle(seen)
    }
  }

  private readAfter(position: number): Promise<RecordedEvent[]> {
    return this.source.readPage(position + 1, this.source.pageSize, this.options.filter)
  }

  /** The events that follow the last delivered one without a hole. */
  private denseRun(page: RecordedEvent[]): RecordedEvent[] {
    let expected = this.position + 1
    let count = 0
    while (count < page.length && page[count]?.position === expected) {
      count += 1
      expected += 1
    }
    return page.slice(0, count)
  }

  private async deliver(page: RecordedEvent[]): Promise<void> {
    for (const event of page) {
      if (this.stopped) return
      try {
        await this.handler(event)
      } catch (error) {
        this.stopped = true
        this.options.onError?.(error, event)
        throw error
      }
      this.position = event.position
    }
  }

  private async idle(seen: number): Promise<void> {
    await Promise.race([this.source.notifier.wait(seen, this.source.pollIntervalMs), this.stopSignal])
  }

  private async sleep(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const slept = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms)
      timer.unref()
    })
    await Promise.race([slept, this.stopSignal])
    clearTimeout(timer)
  }
}
