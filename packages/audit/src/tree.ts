import { leafHash, nodeHash } from './hash.ts'
import { HashList } from './hash-list.ts'
import { consistencyProofRanges, hashesForRanges, inclusionPathRanges, rangeHash } from './ranges.ts'

/**
 * An append-only Merkle tree in memory (RFC 9162 section 2.1). It keeps the hash of every perfect
 * subtree it completes (about 2n hashes), so the root of any earlier size and every inclusion and
 * consistency proof take O(log n) stored hashes, and appending costs one leaf hash plus on average
 * one node hash.
 */
export class MerkleTree {
  /** levels[l][i]: the hash of leaves [i * 2^l, (i + 1) * 2^l). */
  private readonly levels: HashList[] = [new HashList()]

  /** The number of leaves. */
  get size(): number {
    return (this.levels[0] as HashList).length
  }

  /** Appends a leaf (its bytes are hashed with the 0x00 prefix); returns its index. */
  append(leaf: Uint8Array): number {
    return this.appendLeafHash(leafHash(leaf))
  }

  /** Appends a leaf by its leaf hash; returns its index. */
  appendLeafHash(hash: Uint8Array): number {
    const index = this.size
    ;(this.levels[0] as HashList).push(hash)
    let level = 0
    let at = index
    // Each time the new node is a right child, its parent is complete.
    while (at % 2 === 1) {
      const nodes = this.levels[level] as HashList
      const parent = nodeHash(nodes.get(at - 1), nodes.get(at))
      level += 1
      if (this.levels.length === level) this.levels.push(new HashList())
      ;(this.levels[level] as HashList).push(parent)
      at = (at - 1) / 2
    }
    return index
  }

  /** The stored hash of a perfect subtree. */
  node(level: number, index: number): Uint8Array {
    const nodes = this.levels[level]
    if (!nodes) throw new RangeError(`no level ${level} in a tree of ${this.size} leaves`)
    return nodes.get(index)
  }

  /** The leaf hash of leaf `index`. */
  leafHash(index: number): Uint8Array {
    return this.node(0, index)
  }

  /** MTH of the first `size` leaves (default all of them). */
  root(size = this.size): Uint8Array {
    this.checkSize(size)
    return rangeHash(0, size, this.lookup)
  }

  /** The audit path of leaf `index` in the tree of the first `size` leaves. */
  inclusionProof(index: number, size = this.size): Uint8Array[] {
    this.checkSize(size)
    return hashesForRanges(inclusionPathRanges(index, size), this.lookup)
  }

  /** The consistency proof from the tree of `first` leaves to the tree of `second` leaves. */
  consistencyProof(first: number, second = this.size): Uint8Array[] {
    this.checkSize(second)
    return hashesForRanges(consistencyProofRanges(first, second), this.lookup)
  }

  private readonly lookup = (level: number, index: number): Uint8Array => this.node(level, index)

  private checkSize(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size) {
      throw new RangeError(`tree size ${size} is not between 0 and ${this.size}`)
    }
  }
}
