import fc from 'fast-check'
import t, { type Test } from 'tap'
import {
  Frontier,
  MerkleTree,
  consistencyProofRanges,
  hashesForRanges,
  inclusionPathRanges,
  leafHash,
  nodesForRanges,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from '../src/index.ts'
import { mth, path, proof } from './reference.ts'

// Random trees: every proof generated verifies, equals what RFC 9162's recursive definitions give,
// and stops verifying when any single bit of it (or of the leaf or a root) changes.

const leavesArb = fc.array(fc.uint8Array({ minLength: 0, maxLength: 12 }), { minLength: 1, maxLength: 140 })

/** Runs a property (fast-check throws with the counterexample when it fails) and records it. */
function check(t: Test, property: fc.IProperty<unknown[]>): void {
  fc.assert(property)
  t.pass('the property held for every generated case')
}

function treeOf(leaves: Uint8Array[]): MerkleTree {
  const tree = new MerkleTree()
  for (const leaf of leaves) tree.append(leaf)
  return tree
}

function flip(hashes: readonly Uint8Array[], element: number, bit: number): Uint8Array[] {
  const copy = hashes.map((h) => new Uint8Array(h))
  const target = copy[element] as Uint8Array
  target[Math.floor(bit / 8)] = (target[Math.floor(bit / 8)] as number) ^ (1 << (bit % 8))
  return copy
}

t.test('every inclusion proof of a random tree verifies and matches PATH', async (t) => {
  check(
    t,
    fc.property(leavesArb, fc.nat(), fc.nat(), (leaves, a, b) => {
      const tree = treeOf(leaves)
      const size = (a % leaves.length) + 1
      const index = b % size
      const audit = tree.inclusionProof(index, size)
      const leaf = leafHash(leaves[index] as Uint8Array)
      return (
        audit.map(toHex).join() === path(index, leaves.slice(0, size)).map(toHex).join() &&
        toHex(tree.root(size)) === toHex(mth(leaves.slice(0, size))) &&
        verifyInclusion(index, size, leaf, audit, tree.root(size))
      )
    }),
  )
})

t.test('flipping any single bit of an inclusion proof, its leaf or its root makes it fail', async (t) => {
  check(
    t,
    fc.property(leavesArb, fc.nat(), fc.nat(), fc.nat(), fc.nat(255), (leaves, a, b, c, bit) => {
      const tree = treeOf(leaves)
      const size = (a % leaves.length) + 1
      const index = b % size
      const audit = tree.inclusionProof(index, size)
      const leaf = leafHash(leaves[index] as Uint8Array)
      const root = tree.root(size)
      const [badLeaf] = flip([leaf], 0, bit)
      const [badRoot] = flip([root], 0, bit)
      const proofFails =
        audit.length === 0 || !verifyInclusion(index, size, leaf, flip(audit, c % audit.length, bit), root)
      return (
        proofFails &&
        !verifyInclusion(index, size, badLeaf as Uint8Array, audit, root) &&
        !verifyInclusion(index, size, leaf, audit, badRoot as Uint8Array)
      )
    }),
  )
})

t.test('every consistency proof of a random tree verifies and matches PROOF', async (t) => {
  check(
    t,
    fc.property(leavesArb, fc.nat(), fc.nat(), (leaves, a, b) => {
      const tree = treeOf(leaves)
      const second = (a % leaves.length) + 1
      const first = (b % second) + 1
      const consistency = tree.consistencyProof(first, second)
      return (
        consistency.map(toHex).join() === proof(first, leaves.slice(0, second)).map(toHex).join() &&
        verifyConsistency(first, second, consistency, tree.root(first), tree.root(second))
      )
    }),
  )
})

t.test('flipping any single bit of a consistency proof or either root makes it fail', async (t) => {
  check(
    t,
    fc.property(leavesArb, fc.nat(), fc.nat(), fc.nat(), fc.nat(255), (leaves, a, b, c, bit) => {
      const tree = treeOf(leaves)
      const second = (a % leaves.length) + 1
      const first = (b % second) + 1
      const consistency = tree.consistencyProof(first, second)
      const [r1, r2] = [tree.root(first), tree.root(second)]
      const proofFails =
        consistency.length === 0 ||
        !verifyConsistency(first, second, flip(consistency, c % consistency.length, bit), r1, r2)
      return (
        proofFails &&
        !verifyConsistency(first, second, consistency, flip([r1], 0, bit)[0] as Uint8Array, r2) &&
        !verifyConsistency(first, second, consistency, r1, flip([r2], 0, bit)[0] as Uint8Array)
      )
    }),
  )
})

const distinctLeaves = fc.uniqueArray(fc.uint8Array({ minLength: 0, maxLength: 8 }), {
  minLength: 2,
  maxLength: 140,
  selector: (leaf) => toHex(leaf),
})

t.test(
  'a proof for another leaf, truncated or extended, or for an index beyond the tree does not verify',
  async (t) => {
    check(
      t,
      fc.property(distinctLeaves, fc.nat(), fc.nat(), (leaves, a, b) => {
        const tree = treeOf(leaves)
        const size = (a % (leaves.length - 1)) + 2
        const index = b % size
        const audit = tree.inclusionProof(index, size)
        const leaf = leafHash(leaves[index] as Uint8Array)
        const root = tree.root(size)
        const extended = [...audit, root]
        return (
          !verifyInclusion(index, size, leaf, audit.slice(0, -1), root) &&
          !verifyInclusion(index, size, leaf, extended, root) &&
          ((index ^ 1) >= size || !verifyInclusion(index ^ 1, size, leaf, audit, root)) &&
          !verifyInclusion(size, size, leaf, audit, root)
        )
      }),
    )
  },
)

t.test(
  'the frontier gives the same root, and stored nodes fetched by reference give the same proofs',
  async (t) => {
    check(
      t,
      fc.property(leavesArb, fc.nat(), fc.nat(), (leaves, a, b) => {
        const tree = treeOf(leaves)
        const frontier = new Frontier()
        const stored = new Map<string, Uint8Array>()
        for (const leaf of leaves) {
          for (const node of frontier.append(leafHash(leaf)))
            stored.set(`${node.level}:${node.index}`, node.hash)
          const size = frontier.size
          if (toHex(frontier.root()) !== toHex(tree.root(size))) return false
        }
        // What a database does: list the nodes a proof needs, fetch them, assemble the proof.
        const second = (a % leaves.length) + 1
        const first = (b % second) + 1
        const ranges = consistencyProofRanges(first, second)
        const fetched = new Map(
          nodesForRanges(ranges).map((ref) => [
            `${ref.level}:${ref.index}`,
            stored.get(`${ref.level}:${ref.index}`),
          ]),
        )
        const lookup = (level: number, index: number) => fetched.get(`${level}:${index}`) as Uint8Array
        const inclusion = inclusionPathRanges(b % second, second)
        const reloaded = new Frontier(
          second,
          Frontier.nodesFor(second).map((ref) => ({
            ...ref,
            hash: stored.get(`${ref.level}:${ref.index}`) as Uint8Array,
          })),
        )
        return (
          hashesForRanges(ranges, lookup).map(toHex).join() ===
            tree.consistencyProof(first, second).map(toHex).join() &&
          hashesForRanges(inclusion, (l, i) => tree.node(l, i))
            .map(toHex)
            .join() ===
            tree
              .inclusionProof(b % second, second)
              .map(toHex)
              .join() &&
          toHex(reloaded.root()) === toHex(tree.root(second))
        )
      }),
    )
  },
)
