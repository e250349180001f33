import type { KeyObject } from 'node:crypto'
import { fromHex, sameBytes, toHex } from './hash.ts'
import { LeafFormatError, parseLeaf } from './leaf.ts'
import { treeHeadProblem, verifyTreeHeadSignature, type SignedTreeHead } from './tree-head.ts'
import { MerkleTree } from './tree.ts'
import { verifyConsistency } from './verify.ts'

const utf8 = new TextEncoder()

/** What kind of difference between a history and its signed heads was found. */
export type HistoryProblemKind =
  | 'malformed-head'
  | 'bad-signature'
  | 'conflicting-heads'
  | 'malformed-event'
  | 'missing-event'
  | 'unexpected-event'
  | 'revision-gap'
  | 'time-reversed'
  | 'root-mismatch'
  | 'inconsistent-heads'
  | 'history-too-short'

export interface HistoryProblem {
  kind: HistoryProblemKind
  /** One sentence for a person. */
  message: string
  /** The first position where the history differs (or may differ) from what was signed. */
  position?: number
  /** For a root mismatch: the last position the difference may be at (the head's size). */
  lastPosition?: number
  /** The head the history was found to differ from. */
  head?: SignedTreeHead
}

export interface HistoryReport {
  ok: boolean
  /** Events read. */
  events: number
  /** Heads whose signature and root were checked against the events. */
  headsVerified: number
  /** The largest head size the events were proven against (0 if none). */
  verifiedSize: number
  problem: HistoryProblem | null
}

/**
 * Checks an exported history (canonical leaves, one per line, in position order) against signed
 * tree heads, one line at a time: each head's Ed25519 signature, that heads of one size agree,
 * each line's form and position (so a deleted, inserted or reordered event is named exactly),
 * each stream's revisions, the root at every head's size, and a consistency proof between
 * consecutive heads. The first problem stops it.
 */
export class HistoryVerifier {
  private readonly heads: SignedTreeHead[] = []
  private readonly tree = new MerkleTree()
  private readonly revisions = new Map<string, number>()
  private lastRecordedAt = ''
  private nextHead = 0
  private verifiedSize = 0
  private verifiedRoot: Uint8Array | null = null
  private problem: HistoryProblem | null = null

  constructor(heads: readonly unknown[], publicKey: KeyObject) {
    const problem = this.readHeads(heads, publicKey)
    if (problem) this.fail(problem)
    else this.checkHeads()
  }

  /** Checks every head's form and signature, and that heads of one size agree; sorts them by size. */
  private readHeads(heads: readonly unknown[], publicKey: KeyObject): HistoryProblem | null {
    for (const [i, head] of heads.entries()) {
      const malformed = treeHeadProblem(head)
      if (malformed) return { kind: 'malformed-head', message: `head ${i + 1}: ${malformed}` }
      const signed = head as SignedTreeHead
      if (!verifyTreeHeadSignature(signed, publicKey)) {
        return {
          kind: 'bad-signature',
          message: `the head of size ${signed.treeSize} signed at ${signed.timestamp} does not carry a valid signature by key ${publicKeyId(signed)}`,
          head: signed,
        }
      }
      this.heads.push(signed)
    }
    this.heads.sort((a, b) => a.treeSize - b.treeSize || a.timestamp.localeCompare(b.timestamp))
    for (let i = 1; i < this.heads.length; i++) {
      const [a, b] = [this.heads[i - 1] as SignedTreeHead, this.heads[i] as SignedTreeHead]
      if (a.treeSize === b.treeSize && a.rootHash !== b.rootHash) {
        return {
          kind: 'conflicting-heads',
          message: `two signed heads of size ${a.treeSize} disagree (signed at ${a.timestamp} and ${b.timestamp}): the log was rewritten`,
          position: 1,
          lastPosition: a.treeSize,
          head: b,
        }
      }
    }
    return null
  }

  /** Reads the next line; returns the problem found so far, or null. */
  add(line: string): HistoryProblem | null {
    if (this.problem) return this.problem
    const position = this.tree.size + 1
    let event
    try {
      event = parseLeaf(line)
    } catch (error) {
      if (!(error instanceof LeafFormatError)) throw error
      return this.fail({ kind: 'malformed-event', message: `line ${position}: ${error.message}`, position })
    }
    if (event.position !== position) {
      const deleted = event.position > position
      return this.fail({
        kind: deleted ? 'missing-event' : 'unexpected-event',
        message: deleted
          ? `position ${position} is missing (line ${position} holds position ${event.position}): an event was deleted`
          : `line ${position} holds position ${event.position} again: an event was inserted or moved`,
        position,
      })
    }
    const previous = this.revisions.get(event.streamId) ?? 0
    if (event.revision !== previous + 1) {
      return this.fail({
        kind: 'revision-gap',
        message: `position ${position}: stream ${event.streamId} goes from revision ${previous} to ${event.revision}`,
        position,
      })
    }
    this.revisions.set(event.streamId, event.revision)
    const recordedAt = new Date(event.metadata.recordedAt).toISOString()
    if (recordedAt < this.lastRecordedAt) {
      return this.fail({
        kind: 'time-reversed',
        message: `position ${position} was recorded at ${recordedAt}, before the event ahead of it`,
        position,
      })
    }
    this.lastRecordedAt = recordedAt
    this.tree.append(utf8.encode(line))
    return this.checkHeads()
  }

  /** The verdict once every line was read: heads beyond the last event mean events were lost. */
  finish(): HistoryReport {
    const beyond = this.heads[this.nextHead]
    if (!this.problem && beyond) {
      this.fail({
        kind: 'history-too-short',
        message: `the history ends at position ${this.tree.size} but a head signed at ${beyond.timestamp} covers ${beyond.treeSize} events: the events from position ${this.tree.size + 1} on were deleted`,
        position: this.tree.size + 1,
        lastPosition: beyond.treeSize,
        head: beyond,
      })
    }
    return {
      ok: this.problem === null,
      events: this.tree.size,
      headsVerified: this.nextHead,
      verifiedSize: this.verifiedSize,
      problem: this.problem,
    }
  }

  /** Compares the root with every head whose size the tree has reached. */
  private checkHeads(): HistoryProblem | null {
    while (!this.problem) {
      const head = this.heads[this.nextHead]
      if (!head || head.treeSize > this.tree.size) break
      const root = this.tree.root(head.treeSize)
      const signedRoot = fromHex(head.rootHash) as Uint8Array
      if (!sameBytes(root, signedRoot)) {
        return this.fail({
          kind: 'root-mismatch',
          message: `the history differs from the head of size ${head.treeSize} signed at ${head.timestamp}: ${matched(this.verifiedSize)}the difference lies at positions ${this.verifiedSize + 1} to ${head.treeSize} (root ${toHex(root)}, signed ${head.rootHash})`,
          position: this.verifiedSize + 1,
          lastPosition: head.treeSize,
          head,
        })
      }
      if (this.verifiedRoot && this.verifiedSize > 0) {
        const proof = this.tree.consistencyProof(this.verifiedSize, head.treeSize)
        if (!verifyConsistency(this.verifiedSize, head.treeSize, proof, this.verifiedRoot, signedRoot)) {
          return this.fail({
            kind: 'inconsistent-heads',
            message: `the head of size ${head.treeSize} is not an extension of the head of size ${this.verifiedSize}`,
            position: this.verifiedSize + 1,
            head,
          })
        }
      }
      this.verifiedSize = head.treeSize
      this.verifiedRoot = signedRoot
      this.nextHead += 1
    }
    return this.problem
  }

  private fail(problem: HistoryProblem): HistoryProblem {
    this.problem ??= problem
    return this.problem
  }
}

function matched(size: number): string {
  return size === 0 ? '' : `positions 1 to ${size} match the heads before it, so `
}

function publicKeyId(head: SignedTreeHead): string {
  return `${head.keyId.slice(0, 16)}…`
}

/** Verifies a whole history held in memory; see `HistoryVerifier`. */
export function verifyHistory(
  lines: Iterable<string>,
  heads: readonly unknown[],
  publicKey: KeyObject,
): HistoryReport {
  const verifier = new HistoryVerifier(heads, publicKey)
  for (const line of lines) if (verifier.add(line)) break
  return verifier.finish()
}
