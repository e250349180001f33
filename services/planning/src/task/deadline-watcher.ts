import type { DomainEvent } from '@coord/domain'
import type { EventStore, Subscription } from '@coord/eventstore'
import { executeCommand } from '@coord/service-kit'
import { deadlineNotices, taskDecider, type Task, type TaskCommand } from '../domain.ts'

export interface DeadlineWatcherOptions {
  /** Days before a deadline that DeadlineApproaching is sent. */
  leadDays: number
  /** How often deadlines are checked. */
  intervalMs: number
  clock?: () => Date
  logger?: { warn(details: object, message: string): void; info(details: object, message: string): void }
}

/**
 * Follows every task stream and sends DeadlineApproaching and DeadlineMissed when they fall due.
 * Exactly once per deadline value, also across restarts and several watchers: the decider refuses
 * a notice the stream already has, appends carry the revision read (a second watcher gets a
 * conflict, not a duplicate), and each notice has an idempotency key of its own.
 */
export class DeadlineWatcher {
  private readonly tasks = new Map<string, Task>()
  private subscription: Subscription | null = null
  private timer: NodeJS.Timeout | null = null
  private checking: Promise<number> | null = null

  constructor(
    private readonly store: EventStore,
    private readonly options: DeadlineWatcherOptions,
  ) {}

  start(): void {
    this.subscription = this.store.subscribeToAll({ filter: { streamPrefix: 'task-' } }, (event) => {
      const state = this.tasks.get(event.streamId) ?? taskDecider.initialState
      this.tasks.set(
        event.streamId,
        taskDecider.evolve(state, { type: event.type, data: event.data } as DomainEvent as never),
      )
    })
    this.timer = setInterval(
      () =>
        void this.check().catch((err: unknown) =>
          this.options.logger?.warn({ err }, 'deadline check failed'),
        ),
      this.options.intervalMs,
    )
    this.timer.unref()
  }

  /** Sends the notices due now; resolves to how many were recorded. One check runs at a time. */
  check(now: Date = (this.options.clock ?? (() => new Date()))()): Promise<number> {
    this.checking ??= this.sendDue(now.toISOString()).finally(() => (this.checking = null))
    return this.checking
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    await this.subscription?.stop()
    await this.checking?.catch(() => undefined)
  }

  private async sendDue(now: string): Promise<number> {
    let recorded = 0
    for (const [streamId, state] of this.tasks) {
      for (const notice of deadlineNotices(state, now, this.options.leadDays)) {
        recorded += await this.send(streamId, notice, now)
      }
    }
    return recorded
  }

  private async send(streamId: string, command: TaskCommand, now: string): Promise<number> {
    const key = `${command.type}:${streamId}:${(command.data as { deadline: string }).deadline}`
    try {
      const result = await executeCommand({
        store: this.store,
        streamId,
        decider: taskDecider,
        command,
        idempotency: { key, fingerprint: key },
        buildMetadata: () => ({
          actor: command.metadata.actor,
          correlationId: key,
          causationId: null,
          occurredAt: now,
        }),
      })
      // A replayed answer means another watcher (or an earlier run) recorded this notice.
      if (result.replayed || result.events.length === 0) return 0
      this.options.logger?.info({ streamId, notice: command.type }, 'deadline notice recorded')
      return result.events.length
    } catch (err) {
      // Another watcher won the race, or the task moved on: the next check decides again.
      this.options.logger?.warn({ err, streamId }, 'deadline notice not recorded')
      return 0
    }
  }
}
