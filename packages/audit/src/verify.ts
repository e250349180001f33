import { hashSize, nodeHash, sameBytes } from './hash.ts'

// The verification algorithms of RFC 9162 sections 2.1.3.2 and 2.1.4.2, step by step. Tree sizes
// stay below 2^53, so bits are read with arithmetic rather than 32-bit operators.

const isOdd = (n: number): boolean => n % 2 === 1
const half = (n: number): number => Math.floor(n / 2)

function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === hashSize
}

function isSize(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0
}

/**
 * Whether `proof` (an audit path, from the leaf up) proves that the leaf with hash `leafHash` is
 * the `leafIndex`-th (from 0) of the tree of `treeSize` leaves whose root is `rootHash`. An index
 * beyond the tree, a tree of size 0, a proof of the wrong length or any changed bit fails.
 */
export function verifyInclusion(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  rootHash: Uint8Array,
): boolean {
  if (!isSize(leafIndex) || !isSize(treeSize)) return false
  if (!isHash(leafHash) || !isHash(rootHash) || !proof.every(isHash)) return false
  // 1. leaf_index >= tree_size fails (and so does every proof for the empty tree).
  if (leafIndex >= treeSize) return false
  // 2. fn = leaf_index, sn = tree_size - 1; 3. r = hash.
  let fn = leafIndex
  let sn = treeSize - 1
  let r = leafHash
  // 4. Fold in each element of the path.
  for (const p of proof) {
    if (sn === 0) return false
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r)
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn)
          sn = half(sn)
        }
      }
    } else {
      r = nodeHash(r, p)
    }
    fn = half(fn)
    sn = half(sn)
  }
  // 5. The path must have been used up exactly, and lead to the root.
  return sn === 0 && sameBytes(r, rootHash)
}

/**
 * Whether `proof` proves that the tree of `firstSize` leaves with root `firstRoot` is a prefix of
 * the tree of `secondSize` leaves with root `secondRoot`. Equal sizes are consistent when the roots
 * are equal and the proof is empty; a first size of 0, a first size beyond the second, a proof of
 * the wrong length or any changed bit fails.
 */
export function verifyConsistency(
  firstSize: number,
  secondSize: number,
  proof: readonly Uint8Array[],
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
): boolean {
  if (!isSize(firstSize) || !isSize(secondSize)) return false
  if (!isHash(firstRoot) || !isHash(secondRoot) || !proof.every(isHash)) return false
  // Proofs about the empty tree prove nothing: refused, as are sizes that go backwards.
  if (firstSize === 0 || firstSize > secondSize) return false
  if (firstSize === secondSize) return proof.length === 0 && sameBytes(firstRoot, secondRoot)
  // 1. An empty path fails.
  if (proof.length === 0) return false
  // 2. When first is a power of two, the path starts with first_hash itself.
  const path = isPowerOfTwo(firstSize) ? [firstRoot, ...proof] : [...proof]
  // 3. fn = first - 1, sn = second - 1; 4. skip the levels where fn is a right child.
  let fn = firstSize - 1
  let sn = secondSize - 1
  while (isOdd(fn)) {
    fn = half(fn)
    sn = half(sn)
  }
  // 5. fr = sr = the first value of the path.
  let fr = path[0] as Uint8Array
  let sr = fr
  // 6. Fold in each following value.
  for (const c of path.slice(1)) {
    if (sn === 0) return false
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr)
      sr = nodeHash(c, sr)
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn)
          sn = half(sn)
        }
      }
    } else {
      sr = nodeHash(sr, c)
    }
    fn = half(fn)
    sn = half(sn)
  }
  // 7. Both roots reached and the path used up exactly.
  return sameBytes(fr, firstRoot) && sameBytes(sr, secondRoot) && sn === 0
}

function isPowerOfTwo(n: number): boolean {
  let k = 1
  while (k < n) k *= 2
  return k === n
}
