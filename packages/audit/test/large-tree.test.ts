import { createHash } from 'node:crypto'
import t from 'tap'
import { Frontier, MerkleTree, leafHash, toHex, verifyConsistency, verifyInclusion } from '../src/index.ts'

// A million leaves: the incremental tree keeps its hashes in flat chunks, and roots and proofs at
// any earlier size still come from O(log n) stored hashes.

t.test('a tree of one million leaves gives roots and proofs at any size that verify', async (t) => {
  const count = 1_000_000
  const tree = new MerkleTree()
  const frontier = new Frontier()
  const checkpoints = new Map<number, string>()
  const seed = createHash('sha256').update('coord').digest()
  for (let i = 0; i < count; i++) {
    seed.writeUInt32BE(i, 0)
    const hash = leafHash(seed)
    tree.appendLeafHash(hash)
    frontier.append(hash)
    if ([1, 2, 1000, 65_537, 524_288, 999_999].includes(i + 1)) checkpoints.set(i + 1, toHex(frontier.root()))
  }
  t.equal(tree.size, count)
  t.equal(toHex(tree.root()), toHex(frontier.root()), 'the stored tree and the frontier agree')
  for (const [size, root] of checkpoints) t.equal(toHex(tree.root(size)), root, `root at size ${size}`)
  for (const [index, size] of [
    [0, count],
    [count - 1, count],
    [524_287, 524_288],
    [777_777, 999_999],
  ] as const) {
    const proof = tree.inclusionProof(index, size)
    t.ok(
      verifyInclusion(index, size, tree.leafHash(index), proof, tree.root(size)),
      `leaf ${index} of ${size}`,
    )
  }
  for (const [first, second] of [
    [1, count],
    [65_537, 999_999],
    [524_288, count],
  ] as const) {
    const proof = tree.consistencyProof(first, second)
    t.ok(
      verifyConsistency(first, second, proof, tree.root(first), tree.root(second)),
      `${first} -> ${second}`,
    )
  }
})
