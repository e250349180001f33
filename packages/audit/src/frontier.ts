import { emptyRootHash, nodeHash } from './hash.ts'
import { perfectSubtrees, type NodeRef } from './ranges.ts'

/** A perfect subtree with its hash. */
export interface StoredNode extends NodeRef {
  hash: Uint8Array
}

/**
 * The right edge of a tree: the perfect subtrees that make up all its leaves (at most one per
 * level, largest first). It is all an appender needs to keep in memory: from it come the root and
 * the nodes each new leaf completes, which a database stores beside the leaf.
 */
export class Frontier {
  private nodes: StoredNode[]
  private count: number

  /** A frontier of `size` leaves from its nodes (those `Frontier.nodesFor(size)` names). */
  constructor(size = 0, nodes: readonly StoredNode[] = []) {
    const expected = Frontier.nodesFor(size)
    const fits =
      nodes.length === expected.length &&
      expected.every((ref, i) => nodes[i]?.level === ref.level && nodes[i]?.index === ref.index)
    if (!fits) throw new RangeError(`these nodes are not the frontier of a tree of ${size} leaves`)
    this.count = size
    this.nodes = nodes.map((node) => ({ ...node }))
  }

  /** The perfect subtrees whose hashes make up the frontier of a tree of `size` leaves. */
  static nodesFor(size: number): NodeRef[] {
    return perfectSubtrees(0, size)
  }

  get size(): number {
    return this.count
  }

  /** A copy, so a batch can be appended and thrown away if its transaction fails. */
  clone(): Frontier {
    return new Frontier(this.count, this.nodes)
  }

  /** Appends a leaf hash; returns the nodes it completed, the leaf (level 0) first. */
  append(leafHash: Uint8Array): StoredNode[] {
    const created: StoredNode[] = [{ level: 0, index: this.count, hash: leafHash }]
    let carry = created[0] as StoredNode
    // The new node merges with the frontier's smallest subtree while the two are the same size.
    while (this.nodes.length > 0 && (this.nodes.at(-1) as StoredNode).level === carry.level) {
      const left = this.nodes.pop() as StoredNode
      carry = { level: carry.level + 1, index: left.index / 2, hash: nodeHash(left.hash, carry.hash) }
      created.push(carry)
    }
    this.nodes.push(carry)
    this.count += 1
    return created
  }

  /** MTH of the whole tree: the frontier folded from the right. */
  root(): Uint8Array {
    const last = this.nodes.at(-1)
    if (!last) return emptyRootHash
    let hash = last.hash
    for (let i = this.nodes.length - 2; i >= 0; i--) hash = nodeHash((this.nodes[i] as StoredNode).hash, hash)
    return hash
  }
}
