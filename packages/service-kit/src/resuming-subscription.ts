import type { EventHandler, EventStore, ReadAllFilter, Subscription } from '@coord/eventstore'

export interface ResumingSubscriptionOptions {
  store: EventStore
  /** The first position to deliver, asked again before each new subscription (a checkpoint + 1). */
  from: () => Promise<number>
  filter?: ReadAllFilter
  handler: EventHandler
  /** After a failure the subscription is made again after this pause; null: never. Default 5000. */
  restartDelayMs?: number | null
  logger?: {
    warn(details: object, message: string): void
    error(details: object, message: string): void
  }
  /** Who is reading, for the log lines ("resolution process manager"). */
  reader: string
  /** Where `from()` resumes, for the log line of a restart; default "its checkpoint". */
  resumesFrom?: string
}

/**
 * A subscription that survives its handler failing. The store's subscription stops at the event
 * whose handler threw (nothing is skipped); this logs the failure, waits, and subscribes again
 * from `from()`, so a failure that passes (the database went away) costs a pause, never an event,
 * and one that does not comes back after each pause, logged each time. A reader with a checkpoint
 * resumes there; one that rebuilds its state from the log resets it in `from()` and answers 1.
 */
export class ResumingSubscription {
  private subscription: Subscription | null = null
  private stopped = true
  private timer: NodeJS.Timeout | null = null

  constructor(private readonly options: ResumingSubscriptionOptions) {}

  /** Subscribes from `from()`; a failure to learn where to start is thrown to the caller. */
  async start(): Promise<void> {
    this.stopped = false
    await this.subscribe()
  }

  /** The position of the last event handled in the current (or the last failed) run; 0 before the first. */
  get position(): number {
    return this.subscription?.position ?? 0
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.subscription?.stop()
  }

  private async subscribe(): Promise<void> {
    const fromPosition = await this.options.from()
    if (this.stopped) return
    const subscription = this.options.store.subscribeToAll(
      {
        fromPosition,
        ...(this.options.filter ? { filter: this.options.filter } : {}),
        onError: (err, event) =>
          this.options.logger?.error(
            { err, position: event.position, eventId: event.id },
            `${this.options.reader} failed on an event`,
          ),
      },
      this.options.handler,
    )
    this.subscription = subscription
    subscription.done.catch(() => this.scheduleRestart())
  }

  private scheduleRestart(): void {
    const delay = this.options.restartDelayMs === undefined ? 5000 : this.options.restartDelayMs
    if (this.stopped || delay === null) return
    const where = this.options.resumesFrom ?? 'its checkpoint'
    this.options.logger?.warn({ delayMs: delay }, `${this.options.reader} resumes from ${where}`)
    this.timer = setTimeout(() => {
      this.timer = null
      if (this.stopped) return
      this.subscribe().catch((err: unknown) => {
        this.options.logger?.error({ err }, `${this.options.reader} could not resume`)
        this.scheduleRestart()
      })
    }, delay)
    this.timer.unref()
  }
}
