import t from 'tap'
import {
  MerkleTree,
  emptyRootHash,
  fromHex,
  leafHash,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from '../src/index.ts'
import { mth, path, proof } from './reference.ts'

// The Certificate Transparency reference data (RFC 6962 test vectors, as published with
// transparency-dev/merkle and google/certificate-transparency): eight leaves, the roots of the
// trees of their first 1..8, and known audit paths and consistency proofs.

const leaves = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((h) => new Uint8Array(Buffer.from(h, 'hex')))

const roots = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
]

// [leaf index from 0, tree size, audit path]
const inclusion: [number, number, string[]][] = [
  [0, 1, []],
  [
    0,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    5,
    8,
    [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [
    1,
    5,
    [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
]

// [first size, second size, proof]
const consistency: [number, number, string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [
    2,
    5,
    [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
  [
    6,
    7,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
]

const hex = (hashes: Uint8Array[]) => hashes.map(toHex)
const bytes = (hashes: string[]) => hashes.map((h) => fromHex(h) as Uint8Array)
const root = (size: number) => fromHex(roots[size - 1] as string) as Uint8Array
const someHash = fromHex('abacaba000000000000000000000000000000000000000000060061e00123456') as Uint8Array

/** A copy of the proof with `mask` flipped in the first byte of element `i`. */
function flipFirstByte(proof: Uint8Array[], i: number, mask: number): Uint8Array[] {
  return proof.map((h, j) => (j === i ? Uint8Array.from(h, (b, k) => (k === 0 ? b ^ mask : b)) : h))
}

const tree = new MerkleTree()
for (const leaf of leaves) tree.append(leaf)

t.test('the empty tree hashes to SHA-256 of nothing', async (t) => {
  t.equal(toHex(emptyRootHash), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
  t.equal(toHex(new MerkleTree().root()), toHex(emptyRootHash))
  t.equal(toHex(tree.root(0)), toHex(emptyRootHash))
})

t.test('the roots of the first 1..8 leaves are the published ones', async (t) => {
  for (let size = 1; size <= 8; size++) {
    t.equal(toHex(tree.root(size)), roots[size - 1], `incremental tree, size ${size}`)
    t.equal(toHex(mth(leaves.slice(0, size))), roots[size - 1], `MTH definition, size ${size}`)
  }
  t.equal(toHex(leafHash(leaves[0] as Uint8Array)), roots[0], 'a one-leaf tree is its leaf hash')
})

t.test('audit paths are generated exactly as published and verify', async (t) => {
  for (const [index, size, expected] of inclusion) {
    t.same(hex(tree.inclusionProof(index, size)), expected, `generated path for leaf ${index} of ${size}`)
    t.same(hex(path(index, leaves.slice(0, size))), expected, `PATH definition for ${index} of ${size}`)
    const leaf = leafHash(leaves[index] as Uint8Array)
    t.ok(verifyInclusion(index, size, leaf, bytes(expected), root(size)), `verifies ${index} of ${size}`)
  }
})

t.test('consistency proofs are generated exactly as published and verify', async (t) => {
  for (const [first, second, expected] of consistency) {
    t.same(hex(tree.consistencyProof(first, second)), expected, `generated proof ${first} -> ${second}`)
    t.same(hex(proof(first, leaves.slice(0, second))), expected, `PROOF definition ${first} -> ${second}`)
    t.ok(
      verifyConsistency(first, second, bytes(expected), root(first), root(second)),
      `${first} -> ${second}`,
    )
  }
})

t.test('every corruption of a published audit path is rejected', async (t) => {
  for (const [index, size, expected] of inclusion) {
    const leaf = leafHash(leaves[index] as Uint8Array)
    const good = bytes(expected)
    const probes: [string, number, number, Uint8Array, Uint8Array[], Uint8Array][] = [
      ['index - 1', index - 1, size, leaf, good, root(size)],
      ['index + 1', index + 1, size, leaf, good, root(size)],
      ['index ^ 2', index ^ 2, size, leaf, good, root(size)],
      ['size * 2', index, size * 2, leaf, good, root(size)],
      ['size / 2', index, Math.floor(size / 2), leaf, good, root(size)],
      ['wrong leaf', index, size, leafHash(Buffer.from('WrongLeaf')), good, root(size)],
      ['empty root', index, size, leaf, good, emptyRootHash],
      ['random root', index, size, leaf, good, someHash],
      ['trailing root', index, size, leaf, [...good, root(size)], root(size)],
      ['preceding root', index, size, leaf, [root(size), ...good], root(size)],
      ['trailing garbage', index, size, leaf, [...good, new Uint8Array(0)], root(size)],
      ['short leaf hash', index, size, leaf.subarray(0, 31), good, root(size)],
    ]
    if (good.length > 0) probes.push(['removed component', index, size, leaf, good.slice(0, -1), root(size)])
    if (good.length > 1) {
      probes.push([
        'inserted component',
        index,
        size,
        leaf,
        [good[0] as Uint8Array, someHash, ...good.slice(1)],
        root(size),
      ])
    }
    for (let i = 0; i < good.length; i++) {
      probes.push([`proof[${i}] bit 3 flipped`, index, size, leaf, flipFirstByte(good, i, 8), root(size)])
    }
    for (const [what, i, n, l, p, r] of probes) {
      t.notOk(verifyInclusion(i, n, l, p, r), `leaf ${index} of ${size}: ${what}`)
    }
  }
})

t.test('every corruption of a published consistency proof is rejected', async (t) => {
  for (const [first, second, expected] of consistency.filter(([, , p]) => p.length > 0)) {
    const good = bytes(expected)
    const [r1, r2] = [root(first), root(second)]
    const probes: [string, number, number, Uint8Array[], Uint8Array, Uint8Array][] = [
      ['first - 1', first - 1, second, good, r1, r2],
      ['first + 1', first + 1, second, good, r1, r2],
      ['first ^ 2', first ^ 2, second, good, r1, r2],
      ['second * 2', first, second * 2, good, r1, r2],
      ['second / 2', first, Math.floor(second / 2), good, r1, r2],
      ['wrong first root', first, second, good, someHash, r2],
      ['wrong second root', first, second, good, r1, someHash],
      ['swapped roots', first, second, good, r2, r1],
      ['empty proof', first, second, [], r1, r2],
      ['trailing first root', first, second, [...good, r1], r1, r2],
      ['trailing second root', first, second, [...good, r2], r1, r2],
      ['preceding first root', first, second, [r1, ...good], r1, r2],
      ['preceding second root', first, second, [r2, ...good], r1, r2],
      ['preceding proof[0]', first, second, [good[0] as Uint8Array, ...good], r1, r2],
      ['truncated proof', first, second, good.slice(0, -1), r1, r2],
      ['trailing garbage', first, second, [...good, new Uint8Array(0)], r1, r2],
    ]
    for (let i = 0; i < good.length; i++) {
      probes.push([`proof[${i}] bit 4 flipped`, first, second, flipFirstByte(good, i, 16), r1, r2])
    }
    for (const [what, m, n, p, a, b] of probes) {
      t.notOk(verifyConsistency(m, n, p, a, b), `${first} -> ${second}: ${what}`)
    }
  }
})

t.test(
  'proofs about the empty tree, sizes going backwards and indexes beyond the tree are rejected',
  async (t) => {
    const leaf = leafHash(leaves[0] as Uint8Array)
    t.notOk(verifyInclusion(0, 0, leaf, [], emptyRootHash), 'inclusion in a tree of size 0')
    t.notOk(verifyInclusion(0, 0, emptyRootHash, [], emptyRootHash), 'the empty root as a leaf of size 0')
    t.notOk(verifyInclusion(1, 1, leaf, [], leaf), 'index == size')
    t.notOk(verifyInclusion(2, 1, leaf, [], leaf), 'index > size')
    t.notOk(verifyInclusion(-1, 1, leaf, [], leaf), 'negative index')
    t.notOk(verifyInclusion(0.5, 1, leaf, [], leaf), 'fractional index')
    t.ok(verifyInclusion(0, 1, leaf, [], leaf), 'a one-leaf tree proves its leaf with an empty path')
    t.notOk(verifyConsistency(0, 0, [], emptyRootHash, emptyRootHash), 'from size 0 to 0')
    t.notOk(verifyConsistency(0, 1, [], emptyRootHash, root(1)), 'from size 0 to 1')
    t.notOk(verifyConsistency(0, 8, [], emptyRootHash, root(8)), 'from size 0 to 8')
    t.notOk(verifyConsistency(2, 1, [], root(2), root(1)), 'time travel to the past')
    t.notOk(verifyConsistency(1, 1, [], root(1), root(2)), 'same size, other root')
    t.notOk(verifyConsistency(1, 1, [root(1)], root(1), root(1)), 'same size with a non-empty proof')
    t.ok(verifyConsistency(8, 8, [], root(8), root(8)), 'a head is consistent with itself')
    t.throws(() => tree.inclusionProof(8, 8), RangeError, 'no path for index == size')
    t.throws(() => tree.inclusionProof(0, 0), RangeError, 'no path in the empty tree')
    t.throws(() => tree.consistencyProof(0, 8), RangeError, 'no consistency proof from size 0')
    t.throws(() => tree.consistencyProof(5, 9), RangeError, 'no proof beyond the tree')
  },
)
