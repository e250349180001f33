import { emptyRootHash, leafHash, nodeHash, splitPoint } from '../src/index.ts'

// The definitions of RFC 9162 section 2.1 written as the recursions they are, over whole leaf
// lists: the oracle the incremental tree and the database-backed proofs are checked against.

/** MTH(D[n]). */
export function mth(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return emptyRootHash
  if (leaves.length === 1) return leafHash(leaves[0] as Uint8Array)
  const k = splitPoint(leaves.length)
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)))
}

/** PATH(m, D[n]). */
export function path(m: number, leaves: readonly Uint8Array[]): Uint8Array[] {
  if (leaves.length <= 1) return []
  const k = splitPoint(leaves.length)
  return m < k
    ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))]
    : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))]
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
export function proof(m: number, leaves: readonly Uint8Array[]): Uint8Array[] {
  return subproof(m, leaves, true)
}

function subproof(m: number, leaves: readonly Uint8Array[], whole: boolean): Uint8Array[] {
  const n = leaves.length
  if (m === n) return whole ? [] : [mth(leaves)]
  const k = splitPoint(n)
  return m <= k
    ? [...subproof(m, leaves.slice(0, k), whole), mth(leaves.slice(k))]
    : [...subproof(m - k, leaves.slice(k), false), mth(leaves.slice(0, k))]
}
