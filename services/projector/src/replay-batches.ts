import { setImmediate as yieldTurn } from 'node:timers/promises'
import type { RecordedEvent } from '@coord/eventstore'
import { parsePlanningStreamId } from '@coord/events'
import type { ReadDb, SqlClient } from './db.ts'
import { applyEvent } from './projections/index.ts'
import { ModelWrites, type ReplayTasks, type SealedWrites } from './projections/writes.ts'
import { applyBatch, commitBatch, type ProjectorLogger } from './runner.ts'
import { createAppendIndexes, type Tables } from './schema.ts'

/** Events folded between two turns of the event loop. */
const foldTurn = 50

/** What folding a replay's task events may not touch: their rows are all in the replay's memory. */
const noDatabase: SqlClient = {
  query: () => Promise.reject(new Error('a replay folds task events without reading the database')),
}

/**
 * A replay's batches, applied in order to its empty target, which it alone writes.
 *
 * It keeps every task row it has written (`ReplayTasks`), so a batch of task events alone needs
 * nothing from the database: it is folded and encoded while the batch before it is still being
 * written, and written once that one has committed. The process folds while PostgreSQL writes,
 * one batch apart. Any other batch waits for the one before and is applied as the live projector
 * applies it, in its own transaction with the checkpoint like every batch.
 *
 * After a batch fails (its fold or its transaction), the kept rows are dropped, the append-only
 * tables' keys and indexes made, and that batch is applied event by event (an event no model can
 * apply is recorded in `rejected`); the rest go the live projector's way, rows read back.
 */
export class ReplayBatches {
  private kept: ReplayTasks | undefined = new Map()
  private writing: { batch: readonly RecordedEvent[]; done: Promise<void> } | null = null

  constructor(
    private readonly target: ReadDb,
    private readonly tables: Tables,
    private readonly logger: ProjectorLogger | undefined,
    /** Called after each batch has committed, in order. */
    private readonly onCommitted: (batch: readonly RecordedEvent[]) => void,
  ) {}

  /** Takes the next batch; resolves once it is folded and the one before it has committed. */
  async add(batch: readonly RecordedEvent[]): Promise<void> {
    let sealed: SealedWrites | undefined
    let failure: { error: unknown } | undefined
    if (this.kept && batch.every(onTaskStream)) {
      try {
        sealed = await this.fold(batch, this.kept)
      } catch (error) {
        failure = { error }
      }
    }
    await this.settle()
    if (failure) return this.fallBack(batch, failure.error)
    if (sealed && this.kept) {
      const writes = sealed
      const done = commitBatch(this.target, this.tables, batch, async (tx, fresh) => {
        if (fresh.length !== batch.length) throw new Error('part of the batch was applied by another writer')
        await writes(tx)
      })
      // Handled at the next settle; until then a failure must not be reported as unhandled.
      done.catch(() => undefined)
      this.writing = { batch, done }
      return
    }
    // A batch with other events, or any batch after a failure (its fold, if any, is dropped).
    try {
      await applyBatch(this.target, this.tables, batch, {
        careful: false,
        logger: this.logger,
        replay: this.kept,
      })
    } catch (error) {
      return this.fallBack(batch, error)
    }
    this.onCommitted(batch)
  }

  /** Waits for the last batch to commit (or, if it failed, to be applied event by event). */
  async settled(): Promise<void> {
    await this.settle()
  }

  /** Waits for the last batch, then makes the append-only tables' keys and indexes if still due. */
  async finish(): Promise<void> {
    await this.settle()
    await this.stopKeeping()
  }

  /** Drops the kept rows, if still kept, and makes the append-only tables' keys and indexes. */
  private async stopKeeping(): Promise<void> {
    if (!this.kept) return
    this.kept = undefined
    await createAppendIndexes(this.target, this.tables.version)
  }

  private async fold(batch: readonly RecordedEvent[], kept: ReplayTasks): Promise<SealedWrites> {
    const writes = new ModelWrites(this.tables, kept)
    for (let i = 0; i < batch.length; i++) {
      // A turn of the event loop now and then: the batch before is written a statement at a time,
      // and each of its answers waits for one to be read and the next statement sent.
      if (i % foldTurn === foldTurn - 1) await yieldTurn()
      await applyEvent(noDatabase, this.tables, batch[i] as RecordedEvent, writes)
    }
    return writes.seal()
  }

  /** Waits for the batch being written, if any; applies it the careful way if it failed. */
  private async settle(): Promise<void> {
    const writing = this.writing
    if (!writing) return
    this.writing = null
    try {
      await writing.done
    } catch (error) {
      return this.fallBack(writing.batch, error)
    }
    this.onCommitted(writing.batch)
  }

  private async fallBack(batch: readonly RecordedEvent[], error: unknown): Promise<void> {
    this.logger?.warn(
      { err: error, version: this.tables.version },
      'batch failed; applying it event by event',
    )
    await this.stopKeeping()
    await applyBatch(this.target, this.tables, batch, { careful: true, logger: this.logger })
    this.onCommitted(batch)
  }
}

function onTaskStream(event: RecordedEvent): boolean {
  return parsePlanningStreamId(event.streamId)?.kind === 'task'
}
