import { createPublicKey, type KeyObject } from 'node:crypto'
import {
  Frontier,
  consistencyProofRanges,
  hashesForRanges,
  inclusionPathRanges,
  keyIdOf,
  leafBytes,
  leafHash,
  nodesForRanges,
  rangeHash,
  signTreeHead,
  toHex,
  type StoredNode,
} from '@coord/audit'
import type { EventStore, RecordedEvent } from '@coord/eventstore'
import type { NotaryDb } from './db.ts'
import { notaryErrors } from './errors.ts'
import {
  insertHead,
  insertLeaves,
  insertNodes,
  leafAt,
  lookupIn,
  readFrontier,
  readHeads,
  readNodes,
  readState,
  writeState,
  type HeadReason,
  type LeafRow,
  type NotaryHead,
} from './log-tables.ts'
import { LogFollower } from './follower.ts'
import { migrateNotaryDb } from './schema.ts'
import { cstYear, yearEndInstant, yearsEndedBetween } from './year-end.ts'

export interface NotaryLogger {
  info(details: object, message: string): void
  warn(details: object, message: string): void
  error(details: object, message: string): void
}

export interface NotaryOptions {
  store: EventStore
  db: NotaryDb
  /** The Ed25519 private key that signs tree heads. */
  signingKey: KeyObject
  logger?: NotaryLogger
  /** Events appended per transaction at most; default 1000. */
  batchSize?: number
  /** How often a head is signed when the log grew; default one hour; 0: never on a schedule. */
  headIntervalMs?: number
  /** How often to look for a year end passed with no event after it; default one minute. */
  yearEndCheckMs?: number
  /** How long after a year end before such a head is signed, for commits in flight; default 60 s. */
  yearEndGraceMs?: number
  /** The time; tests set it. */
  now?: () => Date
}

export interface InclusionProof {
  position: number
  leafIndex: number
  treeSize: number
  leafHash: string
  rootHash: string
  auditPath: string[]
}

export interface ConsistencyProof {
  from: number
  to: number
  fromRoot: string
  toRoot: string
  proof: string[]
}

export interface NotaryStatus {
  treeSize: number
  checkpoint: number
  head: number
  lagEvents: number
  latestHead: number | null
  error: string | null
}

/**
 * The audit notary: follows the event store in global order and appends each event's canonical
 * leaf to a Merkle log (RFC 9162) in its own tables, the leaves, their completed nodes and the
 * checkpoint in one transaction per batch. It signs tree heads on a schedule, on request and at
 * each year end (China Standard Time), keeps every head, and answers inclusion and consistency
 * proofs between any sizes. The GraphQL gateway can serve the same through these methods.
 */
export class Notary {
  logger: NotaryLogger | undefined
  private readonly follower: LogFollower
  private frontier = new Frontier()
  private lastRecordedAt: string | null = null
  private timers: NodeJS.Timeout[] = []
  private running = false
  private readonly now: () => Date
  private readonly keyId: string
  private readonly publicKeyObject: KeyObject

  constructor(private readonly options: NotaryOptions) {
    this.logger = options.logger
    this.now = options.now ?? (() => new Date())
    this.publicKeyObject = createPublicKey(options.signingKey)
    this.keyId = keyIdOf(this.publicKeyObject)
    this.follower = new LogFollower({
      store: options.store,
      batchSize: options.batchSize ?? 1000,
      load: () => this.load(),
      commit: (batch) => this.commit(batch),
      logger: () => this.logger,
    })
  }

  /** Creates the tables, resumes after the checkpoint and starts the timers. */
  async start(): Promise<void> {
    if (this.running) return
    await migrateNotaryDb(this.options.db)
    this.running = true
    await this.follower.start()
    const every = (ms: number, work: () => Promise<unknown>) => {
      if (ms > 0) this.timers.push(setInterval(() => void work().catch((err: unknown) => this.warn(err)), ms))
    }
    every(this.options.headIntervalMs ?? 3_600_000, () => this.signScheduled())
    every(this.options.yearEndCheckMs ?? 60_000, () => this.signDueYearEnds())
    for (const timer of this.timers) timer.unref()
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer)
    this.timers = []
    this.running = false
    await this.follower.stop()
  }

  /** How far the log is behind the store. */
  async status(): Promise<NotaryStatus> {
    const [state, head, latest] = await Promise.all([
      readState(this.options.db),
      this.options.store.headPosition(),
      readHeads(this.options.db, { latest: true }),
    ])
    const error = this.follower.lastError
    return {
      treeSize: state.treeSize,
      checkpoint: state.checkpoint,
      head,
      lagEvents: head - state.checkpoint,
      latestHead: latest[0]?.treeSize ?? null,
      error: error === null ? null : error instanceof Error ? error.message : JSON.stringify(error),
    }
  }

  /** Resolves once the log includes the event at `position`. */
  waitFor(position: number, timeoutMs = 10_000): Promise<void> {
    return this.follower.waitFor(position, timeoutMs)
  }

  /** Signs a head over the log as it stands now (a request, or the schedule) and keeps it. */
  async signTreeHead(reason: Exclude<HeadReason, 'year-end'> = 'request'): Promise<NotaryHead> {
    this.ensureRunning()
    return this.options.db.transaction(async (tx) => {
      const state = await readState(tx, true)
      const head = await insertHead(tx, this.sign(state.treeSize, state.rootHash), reason)
      return head as NotaryHead
    })
  }

  /** Every head signed, oldest first. */
  treeHeads(): Promise<NotaryHead[]> {
    return readHeads(this.options.db)
  }

  /** The last head signed, or NO_TREE_HEAD. */
  async latestTreeHead(): Promise<NotaryHead> {
    const [latest] = await readHeads(this.options.db, { latest: true })
    if (!latest) throw notaryErrors.make('NO_TREE_HEAD')
    return latest
  }

  /** The public key heads are verified with. */
  publicKey(): { algorithm: 'Ed25519'; keyId: string; publicKey: string } {
    const pem = this.publicKeyObject.export({ type: 'spki', format: 'pem' }).toString()
    return { algorithm: 'Ed25519', keyId: this.keyId, publicKey: pem }
  }

  /** The audit path of the event at `position` in the tree of the first `treeSize` events. */
  async inclusionProof(position: number, treeSize: number): Promise<InclusionProof> {
    const db = this.options.db
    const state = await readState(db)
    if (!Number.isSafeInteger(treeSize) || treeSize < 1 || treeSize > state.treeSize) {
      throw notaryErrors.make('INVALID_TREE_SIZE', `got ${treeSize}, the log has ${state.treeSize} events`)
    }
    const leaf = Number.isSafeInteger(position) && position >= 1 ? await leafAt(db, position) : null
    if (!leaf || leaf.index >= treeSize) {
      throw notaryErrors.make(
        'INVALID_POSITION',
        `position ${position} is not in the tree of size ${treeSize}`,
      )
    }
    const ranges = inclusionPathRanges(leaf.index, treeSize)
    const lookup = lookupIn(await readNodes(db, nodesForRanges([...ranges, { start: 0, end: treeSize }])))
    return {
      position,
      leafIndex: leaf.index,
      treeSize,
      leafHash: toHex(leaf.hash),
      rootHash: toHex(rangeHash(0, treeSize, lookup)),
      auditPath: hashesForRanges(ranges, lookup).map(toHex),
    }
  }

  /** The proof that the tree of `from` events is a prefix of the tree of `to` events. */
  async consistencyProof(from: number, to: number): Promise<ConsistencyProof> {
    const db = this.options.db
    const state = await readState(db)
    const whole = (n: number) => Number.isSafeInteger(n)
    if (!whole(from) || !whole(to) || from < 1 || from > to || to > state.treeSize) {
      throw notaryErrors.make(
        'INVALID_RANGE',
        `got from ${from} to ${to}, the log has ${state.treeSize} events`,
      )
    }
    const ranges = consistencyProofRanges(from, to)
    const roots = [
      { start: 0, end: from },
      { start: 0, end: to },
    ]
    const lookup = lookupIn(await readNodes(db, nodesForRanges([...ranges, ...roots])))
    return {
      from,
      to,
      fromRoot: toHex(rangeHash(0, from, lookup)),
      toRoot: toHex(rangeHash(0, to, lookup)),
      proof: hashesForRanges(ranges, lookup).map(toHex),
    }
  }

  /** Signs a head on the schedule when the log grew since the last one. */
  async signScheduled(): Promise<NotaryHead | null> {
    const [state, [latest]] = await Promise.all([
      readState(this.options.db),
      readHeads(this.options.db, { latest: true }),
    ])
    if (state.treeSize === 0 || state.treeSize === latest?.treeSize) return null
    return this.signTreeHead('schedule')
  }

  /**
   * Signs the year-end heads due with no event after the year end yet: once the grace period has
   * passed and the log has caught up with the store, the log as it stands covers exactly the
   * events recorded up to the year end. (An event recorded after it signs them as it arrives.)
   */
  async signDueYearEnds(): Promise<NotaryHead[]> {
    this.ensureRunning()
    const grace = this.options.yearEndGraceMs ?? 60_000
    const now = this.now().getTime()
    const head = await this.options.store.headPosition()
    return this.options.db.transaction(async (tx) => {
      const state = await readState(tx, true)
      if (state.lastRecordedAt === null || state.checkpoint < head) return []
      const signed: NotaryHead[] = []
      for (let year = cstYear(state.lastRecordedAt); yearEndInstant(year) + grace <= now; year++) {
        const stored = await insertHead(tx, this.sign(state.treeSize, state.rootHash), 'year-end', year)
        if (stored) signed.push(stored)
      }
      return signed
    })
  }

  private sign(treeSize: number, rootHash: string) {
    return signTreeHead({ treeSize, rootHash, timestamp: this.now().toISOString() }, this.options.signingKey)
  }

  /** The committed state, loaded on every (re)start of the follower. */
  private async load(): Promise<number> {
    const state = await readState(this.options.db)
    this.frontier = await readFrontier(this.options.db, state.treeSize)
    this.lastRecordedAt = state.lastRecordedAt
    return state.checkpoint
  }

  /**
   * One transaction: the batch's leaves, the nodes they complete, a year-end head for each year
   * that ended before one of them was recorded, and the new checkpoint.
   */
  private async commit(batch: readonly RecordedEvent[]): Promise<number> {
    const frontier = this.frontier.clone()
    const leaves: LeafRow[] = []
    const nodes: StoredNode[] = []
    const yearEnds: { year: number; treeSize: number; rootHash: string }[] = []
    let lastRecordedAt = this.lastRecordedAt
    for (const event of batch) {
      const recordedAt = event.metadata.recordedAt
      if (lastRecordedAt !== null) {
        for (const year of yearsEndedBetween(lastRecordedAt, recordedAt)) {
          yearEnds.push({ year, treeSize: frontier.size, rootHash: toHex(frontier.root()) })
        }
      }
      const [leaf, ...completed] = frontier.append(leafHash(leafBytes(event)))
      leaves.push({
        index: (leaf as StoredNode).index,
        position: event.position,
        eventId: event.id,
        hash: (leaf as StoredNode).hash,
      })
      nodes.push(...completed)
      lastRecordedAt = recordedAt
    }
    const last = batch.at(-1) as RecordedEvent
    await this.options.db.transaction(async (tx) => {
      const state = await readState(tx, true)
      // Another notary on the same tables moved on, or positions jumped: start over from the state.
      if (state.treeSize !== this.frontier.size || state.checkpoint + 1 !== batch[0]?.position) {
        throw new Error(`the log is at ${state.checkpoint}, the batch starts at ${batch[0]?.position}`)
      }
      for (const [i, event] of batch.entries()) {
        if (event.position !== state.checkpoint + 1 + i)
          throw new Error(`position ${state.checkpoint + 1 + i} is missing`)
      }
      await insertLeaves(tx, leaves)
      await insertNodes(tx, nodes)
      for (const end of yearEnds)
        await insertHead(tx, this.sign(end.treeSize, end.rootHash), 'year-end', end.year)
      await writeState(tx, {
        treeSize: frontier.size,
        checkpoint: last.position,
        rootHash: toHex(frontier.root()),
        lastRecordedAt,
      })
    })
    this.frontier = frontier
    this.lastRecordedAt = lastRecordedAt
    for (const end of yearEnds)
      this.logger?.info({ year: end.year, treeSize: end.treeSize }, 'year-end tree head signed')
    return last.position
  }

  private ensureRunning(): void {
    if (!this.running) throw notaryErrors.make('NOTARY_STOPPED')
  }

  private warn(err: unknown): void {
    this.logger?.warn({ err }, 'signing a tree head failed')
  }
}
