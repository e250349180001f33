import { commitBatch, lockHead, type BatchOptions, type Outcome, type PendingAppend } from './append-batch.ts'
import type { SqlDriver } from './sql/driver.ts'
import { toStoreError } from './unavailable.ts'

/** Appends waiting together past this many events go in the next transaction. */
const maxEventsPerBatch = 4000

/**
 * Group commit: while one append transaction is in flight, the appends that arrive queue up and
 * then share the next transaction, so concurrent writers cost one commit instead of one each.
 */
export class GroupCommitter {
  private readonly queue: PendingAppend[] = []
  private running: Promise<void> | null = null

  constructor(
    private readonly driver: SqlDriver,
    private readonly options: BatchOptions,
    private readonly onCommitted: () => void,
  ) {}

  submit(item: PendingAppend): void {
    this.queue.push(item)
    this.kick()
  }

  /** Resolves once every append submitted so far has been settled. */
  async idle(): Promise<void> {
    while (this.running) await this.running
  }

  private kick(): void {
    if (this.running) return
    this.running = this.drain().finally(() => {
      this.running = null
      if (this.queue.length > 0) this.kick()
    })
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) await this.run(this.take())
  }

  private take(): PendingAppend[] {
    let events = 0
    let count = 0
    for (const item of this.queue) {
      if (count > 0 && events + item.events.length > maxEventsPerBatch) break
      events += item.events.length
      count += 1
    }
    return this.queue.splice(0, count)
  }

  private async run(batch: PendingAppend[]): Promise<void> {
    let outcomes: Outcome[]
    try {
      outcomes = await this.driver.transaction(
        (tx, [head]) => commitBatch(tx, head, batch, this.options),
        lockHead(batch),
      )
    } catch (error) {
      // One append's failure (a database error, a rollback) must not fail its neighbours:
      // retry each alone. Event ids make a retry of an append that did commit harmless.
      if (batch.length > 1) {
        for (const item of batch) await this.run([item])
      } else {
        batch[0]?.reject(toStoreError(error))
      }
      return
    }
    this.onCommitted()
    outcomes.forEach((outcome, i) => {
      const item = batch[i]
      if ('ok' in outcome) item?.resolve(outcome.ok)
      else item?.reject(outcome.error)
    })
  }
}
