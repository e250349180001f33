import type { EventStore, RecordedEvent, Subscription } from '@coord/eventstore'
import type { NotaryLogger } from './notary.ts'

export interface FollowerOptions {
  store: EventStore
  batchSize: number
  /** Loads the committed state; returns the checkpoint to resume after. */
  load: () => Promise<number>
  /** Commits a batch of consecutive events; returns the new checkpoint. */
  commit: (batch: readonly RecordedEvent[]) => Promise<number>
  logger: () => NotaryLogger | undefined
}

/**
 * Follows the store from a committed checkpoint and hands it batches in position order. A batch
 * that fails to commit ends the subscription; the follower loads the committed state again and
 * resubscribes after it, with backoff, so nothing is skipped or logged twice.
 */
export class LogFollower {
  checkpoint = 0
  lastError: unknown = null
  private buffer: RecordedEvent[] = []
  private flushing: Promise<void> = Promise.resolve()
  private flushQueued = false
  private subscription: Subscription | null = null
  private loop: Promise<void> | null = null
  private stopped = true
  private failures = 0
  private wakeUp: () => void = () => undefined
  private waiters = new Set<{ position: number; resolve: () => void }>()

  constructor(private readonly options: FollowerOptions) {}

  async start(): Promise<void> {
    this.stopped = false
    this.checkpoint = await this.options.load()
    this.loop = this.run(true)
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.wakeUp()
    await this.subscription?.stop()
    await this.loop
    await this.flushing.catch(() => undefined)
    this.buffer = []
  }

  /** Resolves once `position` is committed; rejects after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<void> {
    if (this.checkpoint >= position) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const waiter = {
        position,
        resolve: () => {
          clearTimeout(timer)
          resolve()
        },
      }
      const timer = setTimeout(() => {
        this.waiters.delete(waiter)
        reject(new Error(`the notary did not reach position ${position} in ${timeoutMs} ms`))
      }, timeoutMs)
      this.waiters.add(waiter)
    })
  }

  private async run(loaded: boolean): Promise<void> {
    while (!this.stopped) {
      try {
        this.buffer = []
        if (!loaded) this.checkpoint = await this.options.load()
        loaded = false
        const subscription = this.options.store.subscribeToAll(
          { fromPosition: this.checkpoint + 1 },
          (event) => this.enqueue(event),
        )
        this.subscription = subscription
        if (this.stopped) await subscription.stop()
        await subscription.done
        await this.flushing
      } catch (error) {
        this.lastError = error
      }
      await this.flushing.catch(() => undefined)
      this.flushing = Promise.resolve()
      if (this.stopped) return
      this.lastError ??= new Error('the event store subscription ended')
      this.failures += 1
      this.options
        .logger()
        ?.warn(
          { err: this.lastError, checkpoint: this.checkpoint },
          'notary stopped; resuming from its checkpoint',
        )
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(5000, 50 * 2 ** Math.min(this.failures, 7)))
        this.wakeUp = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
  }

  private enqueue(event: RecordedEvent): Promise<void> | undefined {
    this.buffer.push(event)
    // Back-pressure: a full batch is committed before the subscription delivers more.
    if (this.buffer.length >= this.options.batchSize) return this.flush()
    if (!this.flushQueued) {
      this.flushQueued = true
      setImmediate(() => {
        this.flushQueued = false
        if (this.stopped) return
        this.flush().catch(() => void this.subscription?.stop())
      })
    }
    return undefined
  }

  private flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.commitBuffered())
    return this.flushing
  }

  private async commitBuffered(): Promise<void> {
    const batch = this.buffer
    this.buffer = []
    if (batch.length === 0) return
    try {
      this.checkpoint = await this.options.commit(batch)
    } catch (error) {
      this.lastError = error
      throw error
    }
    this.lastError = null
    this.failures = 0
    for (const waiter of this.waiters) {
      if (waiter.position <= this.checkpoint) {
        this.waiters.delete(waiter)
        waiter.resolve()
      }
    }
    // PGlite answers in microtasks: a turn of the event loop between batches keeps requests served.
    await new Promise((resolve) => setImmediate(resolve))
  }
}
