import type { EventStore, RecordedEvent } from '@coord/eventstore'
import type { ReadDb } from './db.ts'
import { projectorErrors } from './errors.ts'
import { VersionRunner, type ProjectorLogger } from './runner.ts'
import {
  createVersion,
  dropLeftovers,
  dropVersion,
  ensureStateTable,
  goLive,
  modelShape,
  readStates,
  type VersionState,
} from './schema.ts'

export interface ProjectorOptions {
  store: EventStore
  db: ReadDb
  logger?: ProjectorLogger
  /** Events applied per transaction at most; default 500. */
  batchSize?: number
}

export interface ProjectorStatus {
  /** Position of the last event the live read models include. */
  checkpoint: number
  /** Position of the last event in the store. */
  head: number
  lagEvents: number
  /** Age of the oldest event not yet projected; 0 when caught up. */
  lagSeconds: number
  /** The live version of the read-model tables (0 before start). */
  version: number
  rebuilding: boolean
  /** The version being built beside the live one, and how far it got. */
  rebuild: { version: number; checkpoint: number } | null
  /** Why the last batch failed, while the projector retries it. */
  error: string | null
}

/** Told, after each committed batch of the live read models, which events it applied (in order). */
export type AppliedListener = (events: readonly RecordedEvent[]) => void

interface Waiter {
  position: number
  resolve: () => void
  reject: (error: Error) => void
  timer: NodeJS.Timeout
}

/**
 * Maintains the SQL read models from the event store. One version of the tables is live; a
 * rebuild fills the next version beside it and switches readers over once it has caught up.
 */
export class Projector {
  private live: VersionRunner | null = null
  private building: VersionRunner | null = null
  private rebuilding: Promise<void> | null = null
  private readonly waiters = new Set<Waiter>()
  private readonly appliedListeners = new Set<AppliedListener>()
  /** The last position listeners were told about, so a rebuild's switch neither repeats nor skips. */
  private notified = 0
  private running = false
  private readonly batchSize: number
  /** Where it logs; `projectorPlugin` sets its app's logger when none was given. */
  logger: ProjectorLogger | undefined

  constructor(private readonly options: ProjectorOptions) {
    this.batchSize = options.batchSize ?? 500
    this.logger = options.logger
  }

  async start(): Promise<void> {
    if (this.running) return
    const { db } = this.options
    await ensureStateTable(db)
    await dropLeftovers(db)
    const states = await this.dropUnfinishedOfOtherShapes(await readStates(db))
    const found = states.find((s) => s.status === 'live')
    const live = found && found.shape !== modelShape ? await this.buildInstead(found) : found?.version
    // A live version made by earlier code may lack the live views: they are made again at start.
    if (live !== undefined) await goLive(db, live)
    const liveVersion = live ?? (await createVersion(db, 'live'))
    await this.dropAbandonedReplacements(liveVersion)
    this.live = this.runner(liveVersion)
    await this.live.start()
    this.notified = this.live.checkpoint
    this.running = true
    // A rebuild a crash interrupted carries on where it was (read again: one may have begun meanwhile).
    if ((await readStates(db)).some(isRebuild)) {
      this.rebuild().catch((err: unknown) => this.logger?.error({ err }, 'rebuild failed'))
    }
    this.logger?.info({ version: liveVersion, checkpoint: this.live.checkpoint }, 'projector started')
  }

  async stop(): Promise<void> {
    this.running = false
    await this.building?.stop()
    await this.rebuilding?.catch(() => undefined)
    await this.live?.stop()
    for (const waiter of this.waiters) this.settle(waiter, projectorErrors.make('PROJECTOR_STOPPED'))
  }

  /** The live version's tables readers should query (0 before start). */
  currentVersion(): number {
    return this.live?.version ?? 0
  }

  async status(): Promise<ProjectorStatus> {
    const checkpoint = this.live?.checkpoint ?? 0
    const head = await this.options.store.headPosition()
    const lagEvents = Math.max(0, head - checkpoint)
    let lagSeconds = 0
    if (lagEvents > 0) {
      for await (const oldest of this.options.store.readAll({ fromPosition: checkpoint + 1, maxCount: 1 })) {
        lagSeconds = Math.max(0, (Date.now() - Date.parse(oldest.metadata.recordedAt)) / 1000)
      }
    }
    const building = this.building
    const failure = this.live?.lastError ?? building?.lastError ?? null
    return {
      checkpoint,
      head,
      lagEvents,
      lagSeconds,
      version: this.currentVersion(),
      rebuilding: building !== null,
      rebuild: building ? { version: building.version, checkpoint: building.checkpoint } : null,
      error: failure === null ? null : failure instanceof Error ? failure.message : JSON.stringify(failure),
    }
  }

  /**
   * Builds the next version of every table from position 1 while the live version keeps serving
   * and following, then switches readers to it and drops the old one. Resolves after the switch;
   * a rebuild already under way is joined, not started twice.
   */
  rebuild(): Promise<void> {
    if (!this.running) return Promise.reject(projectorErrors.make('PROJECTOR_STOPPED'))
    this.rebuilding ??= this.nextVersion()
      .then((version) => this.finishRebuild(version))
      .finally(() => {
        this.rebuilding = null
      })
    return this.rebuilding
  }

  /** Resolves once the live read models include `position`; rejects after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<void> {
    if (!Number.isSafeInteger(position) || position < 0) {
      return Promise.reject(projectorErrors.make('INVALID_QUERY', `position ${String(position)}`))
    }
    if ((this.live?.checkpoint ?? 0) >= position) return Promise.resolve()
    if (!this.running) return Promise.reject(projectorErrors.make('PROJECTOR_STOPPED'))
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        position,
        resolve,
        reject,
        timer: setTimeout(() => {
          const reached = this.live?.checkpoint ?? 0
          const detail = `waited ${timeoutMs} ms for position ${position}; the read models are at ${reached}`
          this.settle(waiter, projectorErrors.make('PROJECTION_TIMEOUT', detail, { position, reached }))
        }, timeoutMs),
      }
      this.waiters.add(waiter)
    })
  }

  /**
   * Calls `listener` after every batch committed to the live read models with the batch's events,
   * so a reader sees them in the models as soon as it is told (e.g. to push them to subscribers).
   * Events already projected before the listener was added are not replayed. Returns a function
   * that removes the listener. A listener that throws is logged and kept.
   */
  onApplied(listener: AppliedListener): () => void {
    this.appliedListeners.add(listener)
    return () => {
      this.appliedListeners.delete(listener)
    }
  }

  private runner(version: number): VersionRunner {
    const runner: VersionRunner = new VersionRunner({
      store: this.options.store,
      db: this.options.db,
      version,
      batchSize: this.batchSize,
      logger: this.logger,
      onCommit: (checkpoint, events) => {
        if (runner !== this.live) return
        this.wake(checkpoint)
        this.announce(events)
      },
    })
    return runner
  }

  private wake(checkpoint: number): void {
    for (const waiter of this.waiters) if (waiter.position <= checkpoint) this.settle(waiter)
  }

  private announce(events: readonly RecordedEvent[]): void {
    const fresh = events.filter((event) => event.position > this.notified)
    const last = fresh.at(-1)
    if (!last) return
    this.notified = last.position
    for (const listener of this.appliedListeners) {
      try {
        listener(fresh)
      } catch (err) {
        this.logger?.error({ err }, 'a listener of applied events failed')
      }
    }
  }

  /** The events after the last announced position up to `upTo`, read back from the store. */
  private async appliedSince(upTo: number): Promise<RecordedEvent[]> {
    if (this.appliedListeners.size === 0 || upTo <= this.notified) return []
    const missed: RecordedEvent[] = []
    const options = { fromPosition: this.notified + 1, maxCount: upTo - this.notified }
    for await (const event of this.options.store.readAll(options)) missed.push(event)
    return missed
  }

  private settle(waiter: Waiter, error?: Error): void {
    clearTimeout(waiter.timer)
    this.waiters.delete(waiter)
    if (error) waiter.reject(error)
    else waiter.resolve()
  }

  /**
   * Drops the builds meant to replace a version that is no longer live: what a process that lost
   * the race to replace it, or crashed building, left. One still at work notices and stops.
   */
  private async dropAbandonedReplacements(live: number): Promise<void> {
    for (const state of await readStates(this.options.db)) {
      if (state.status === 'building' && state.replaces !== null && state.replaces !== live) {
        await dropVersion(this.options.db, state.version)
      }
    }
  }

  /** Drops the versions being built by code with other columns: this code cannot carry them on. */
  private async dropUnfinishedOfOtherShapes(states: VersionState[]): Promise<VersionState[]> {
    const kept: VersionState[] = []
    for (const state of states) {
      if (state.status === 'live' || state.shape === modelShape) kept.push(state)
      else await dropVersion(this.options.db, state.version)
    }
    return kept
  }

  /**
   * A live version built by code with other columns can be neither written nor read by this code:
   * a version of this code's tables is built from position 1 up to the store's head, made live in
   * its place, and the old one dropped, before the projector starts following. Meanwhile readers
   * still reach the old tables; a query of a column that changed fails until the switch. Processes
   * starting at once each build their own version: the first to switch wins, and the others stop
   * building as soon as the old version is gone, drop theirs and serve the winner's.
   */
  private async buildInstead(stale: VersionState): Promise<number> {
    const { db, store } = this.options
    this.logger?.warn(
      { version: stale.version, shape: stale.shape, expected: modelShape },
      'the live read models have other columns than this code; building them again before starting',
    )
    const version = await createVersion(db, 'building', { replaces: stale.version })
    const building = this.runner(version)
    await building.start()
    try {
      const head = await store.headPosition()
      // Not yet running: the wait ends when the version reaches the head or another process has
      // replaced the old one, not when a stop is asked.
      await this.catchUp(
        building,
        () => Promise.resolve(head),
        async () => (await readStates(db)).some((s) => s.version === stale.version && s.status === 'live'),
      )
    } finally {
      await building.stop()
    }
    try {
      await goLive(db, version, async (tx) => {
        // Another process starting on the same database may have replaced it first: its version stays.
        const [gone] = await tx.query(
          `delete from rm_state where version = $1 and status = 'live' returning version`,
          [stale.version],
        )
        if (!gone) throw new ReplacedMeanwhile()
        await tx.query(
          `update rm_state set status = 'live', replaces = null, updated_at = now() where version = $1`,
          [version],
        )
      })
    } catch (error) {
      if (!(error instanceof ReplacedMeanwhile)) throw error
      await dropVersion(db, version)
      const live = (await readStates(db)).find((s) => s.status === 'live')
      if (!live) throw new Error('the read models were replaced by another process, which left none live')
      return live.version
    }
    await dropVersion(db, stale.version)
    this.logger?.info({ version, replaced: stale.version }, 'read models built again with this code')
    return version
  }

  /** The version an interrupted rebuild was filling, or a new one. */
  private async nextVersion(): Promise<number> {
    const unfinished = (await readStates(this.options.db)).find(isRebuild)
    return unfinished?.version ?? createVersion(this.options.db, 'building')
  }

  private async finishRebuild(version: number): Promise<void> {
    const building = this.runner(version)
    this.building = building
    try {
      await building.start()
      this.logger?.info({ version }, 'rebuilding the read models beside the live version')
      await this.catchUp(building, () => this.options.store.headPosition())
      if (this.running) await this.switchTo(building)
    } finally {
      if (this.building === building) {
        this.building = null
        await building.stop()
      }
    }
  }

  /**
   * Freezes the old version, lets the new one reach it, then switches readers in one transaction:
   * nothing a reader saw (or a `waitFor` promised) is missing from the version it sees next.
   */
  private async switchTo(building: VersionRunner): Promise<void> {
    const old = this.live
    if (!old) return
    await old.stop()
    try {
      await this.catchUp(building, () => Promise.resolve(old.checkpoint))
      if (!this.running) throw projectorErrors.make('PROJECTOR_STOPPED')
      await goLive(this.options.db, building.version, async (tx) => {
        await tx.query(`update rm_state set status = 'live', updated_at = now() where version = $1`, [
          building.version,
        ])
        await tx.query('delete from rm_state where version = $1', [old.version])
      })
    } catch (error) {
      if (this.running) await old.start()
      throw error
    }
    // Listeners hear what the new version applied beyond what they were told, then it goes live in
    // the same turn: no batch it commits meanwhile can slip between the two.
    for (;;) {
      const upTo = building.checkpoint
      const missed = await this.appliedSince(upTo)
      if (building.checkpoint !== upTo) continue
      this.live = building
      this.building = null
      this.announce(missed)
      this.notified = Math.max(this.notified, upTo)
      break
    }
    this.wake(building.checkpoint)
    this.logger?.info(
      { version: building.version, checkpoint: building.checkpoint },
      'switched to the rebuilt read models',
    )
    await dropVersion(this.options.db, old.version)
  }

  /** Waits until the runner's checkpoint reaches `target()` (checked every 25 ms), or `going()` turns false. */
  private async catchUp(
    runner: VersionRunner,
    target: () => Promise<number>,
    going: () => boolean | Promise<boolean> = () => this.running,
  ): Promise<void> {
    while ((await going()) && runner.checkpoint < (await target())) {
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }
}

/** A version a rebuild carries on: one being built, not in place of a live one by its own process. */
function isRebuild(state: VersionState): boolean {
  return state.status === 'building' && state.replaces === null
}

/** Another process made its own version live in place of the one this process was replacing. */
class ReplacedMeanwhile extends Error {}
