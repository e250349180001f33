import type { EventStore, RecordedEvent } from '@coord/eventstore'
import { isUndefinedTable, projectorErrors, type ReadDb } from '@coord/projector'
import type { ProjectionSource } from './source.ts'

export interface FollowerOptions {
  /** The read-model database the projector (in another process) keeps. */
  db: ReadDb
  /** The event store, read for the events of each step the read models move. */
  store: EventStore
  /** How often the live checkpoint is read while someone waits or listens; default 100 ms. */
  intervalMs?: number
  logger?: { warn(details: object, message: string): void }
}

interface Waiter {
  position: number
  resolve: () => void
  reject: (error: Error) => void
  timer: NodeJS.Timeout
}

/**
 * The projection source of a gateway running without a projector in its process: it reads the
 * live version's checkpoint from `rm_state` every `intervalMs` while anyone waits or listens, and
 * reads the events of each step from the store for the listeners.
 */
export class ReadModelFollower implements ProjectionSource {
  private readonly waiters = new Set<Waiter>()
  private readonly listeners = new Set<(events: readonly RecordedEvent[]) => void>()
  private seen = 0
  private timer: NodeJS.Timeout | null = null
  private polling: Promise<void> = Promise.resolve()
  private stopped = false

  constructor(private readonly options: FollowerOptions) {}

  /** Reads where the read models are, so listeners hear only what is projected from now on. */
  async start(): Promise<void> {
    this.stopped = false
    this.seen = await this.checkpoint()
    this.timer = setInterval(() => this.tick(), this.options.intervalMs ?? 100)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.polling
    for (const waiter of this.waiters) this.settle(waiter, projectorErrors.make('PROJECTOR_STOPPED'))
  }

  waitFor(position: number, timeoutMs: number): Promise<void> {
    if (!Number.isSafeInteger(position) || position < 0) {
      return Promise.reject(projectorErrors.make('INVALID_QUERY', `position ${String(position)}`))
    }
    if (this.seen >= position) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        position,
        resolve,
        reject,
        timer: setTimeout(() => {
          const detail = `waited ${timeoutMs} ms for position ${position}; the read models are at ${this.seen}`
          this.settle(
            waiter,
            projectorErrors.make('PROJECTION_TIMEOUT', detail, { position, reached: this.seen }),
          )
        }, timeoutMs),
      }
      this.waiters.add(waiter)
      this.tick()
    })
  }

  onApplied(listener: (events: readonly RecordedEvent[]) => void): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  private tick(): void {
    if (this.stopped || (this.waiters.size === 0 && this.listeners.size === 0)) return
    this.polling = this.polling
      .then(() => this.poll())
      .catch((err: unknown) => {
        this.options.logger?.warn({ err }, 'reading the read models checkpoint failed')
      })
  }

  private async poll(): Promise<void> {
    const reached = await this.checkpoint()
    if (reached <= this.seen) return
    const events: RecordedEvent[] = []
    if (this.listeners.size > 0) {
      const options = { fromPosition: this.seen + 1, maxCount: reached - this.seen }
      for await (const event of this.options.store.readAll(options)) events.push(event)
    }
    this.seen = reached
    for (const waiter of this.waiters) if (waiter.position <= reached) this.settle(waiter)
    if (events.length > 0) for (const listener of this.listeners) listener(events)
  }

  private async checkpoint(): Promise<number> {
    try {
      const [row] = await this.options.db.query<{ checkpoint: string | number }>(
        `select checkpoint from rm_state where status = 'live'`,
      )
      return Number(row?.checkpoint ?? 0)
    } catch (error) {
      if (isUndefinedTable(error)) return 0
      throw error
    }
  }

  private settle(waiter: Waiter, error?: Error): void {
    clearTimeout(waiter.timer)
    this.waiters.delete(waiter)
    if (error) waiter.reject(error)
    else waiter.resolve()
  }
}
