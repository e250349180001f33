import { emptyRootHash, nodeHash } from './hash.ts'

/** A half-open range of leaf indexes [start, end): the leaves D[start:end] of RFC 9162. */
export interface LeafRange {
  start: number
  end: number
}

/**
 * A perfect subtree: the 2^level leaves from index × 2^level. Level 0 is a leaf hash. A tree that
 * keeps every perfect subtree it has completed can hash any range from O(log n) of them.
 */
export interface NodeRef {
  level: number
  index: number
}

/** Where stored hashes come from: a perfect subtree's hash by its coordinates. */
export type NodeLookup = (level: number, index: number) => Uint8Array

/** The largest power of two smaller than n (n >= 2): the split point k of RFC 9162's MTH. */
export function splitPoint(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

function assertSize(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number >= 0`)
}

/**
 * The perfect subtrees that make up [start, end), left to right. Ranges that RFC 9162's recursion
 * produces start at a multiple of their largest piece, so the pieces shrink from left to right and
 * MTH(D[start:end]) folds them from the right: H(P1, H(P2, … Pk)).
 */
export function perfectSubtrees(start: number, end: number): NodeRef[] {
  assertSize('start', start)
  assertSize('end', end)
  const refs: NodeRef[] = []
  let at = start
  while (at < end) {
    let size = 1
    while (size * 2 <= end - at && at % (size * 2) === 0) size *= 2
    refs.push({ level: Math.log2(size), index: at / size })
    at += size
  }
  return refs
}

/** MTH(D[start:end]) from stored perfect subtrees; the empty range hashes to MTH({}). */
export function rangeHash(start: number, end: number, lookup: NodeLookup): Uint8Array {
  const refs = perfectSubtrees(start, end)
  const last = refs.pop()
  if (!last) return emptyRootHash
  let hash = lookup(last.level, last.index)
  for (let i = refs.length - 1; i >= 0; i--) {
    const ref = refs[i] as NodeRef
    hash = nodeHash(lookup(ref.level, ref.index), hash)
  }
  return hash
}

/**
 * The ranges whose hashes form PATH(m, D[n]) (RFC 9162 section 2.1.3.1), in proof order (from
 * the leaf up). PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) when m < k, else
 * PATH(m - k, D[k:n]) : MTH(D[0:k]).
 */
export function inclusionPathRanges(index: number, size: number): LeafRange[] {
  assertSize('size', size)
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`leaf index ${index} is not in a tree of size ${size}`)
  }
  const topDown: LeafRange[] = []
  let start = 0
  let end = size
  let m = index
  while (end - start > 1) {
    const k = splitPoint(end - start)
    if (m < k) {
      topDown.push({ start: start + k, end })
      end = start + k
    } else {
      topDown.push({ start, end: start + k })
      m -= k
      start += k
    }
  }
  return topDown.reverse()
}

/**
 * The ranges whose hashes form PROOF(m, D[n]) = SUBPROOF(m, D[n], true) (RFC 9162 section
 * 2.1.4.1), in proof order. SUBPROOF(m, D[m], true) = {}; SUBPROOF(m, D[m], false) = {MTH(D[m])};
 * for m < n: SUBPROOF(m, D[0:k], b) : MTH(D[k:n]) when m <= k, else
 * SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k]).
 */
export function consistencyProofRanges(first: number, second: number): LeafRange[] {
  assertSize('second', second)
  if (!Number.isSafeInteger(first) || first < 1 || first > second) {
    throw new RangeError(`a consistency proof needs 0 < first <= second, got ${first} and ${second}`)
  }
  const topDown: LeafRange[] = []
  let start = 0
  let end = second
  let m = first
  let whole = true
  while (m !== end - start) {
    const k = splitPoint(end - start)
    if (m <= k) {
      topDown.push({ start: start + k, end })
      end = start + k
    } else {
      topDown.push({ start, end: start + k })
      m -= k
      start += k
      whole = false
    }
  }
  if (!whole) topDown.push({ start, end })
  return topDown.reverse()
}

/** Every stored node the ranges need, each once: what a database-backed tree fetches in one query. */
export function nodesForRanges(ranges: readonly LeafRange[]): NodeRef[] {
  const seen = new Map<string, NodeRef>()
  for (const range of ranges) {
    for (const ref of perfectSubtrees(range.start, range.end)) seen.set(`${ref.level}:${ref.index}`, ref)
  }
  return [...seen.values()]
}

/** The hash of each range, in order: the proof itself. */
export function hashesForRanges(ranges: readonly LeafRange[], lookup: NodeLookup): Uint8Array[] {
  return ranges.map((range) => rangeHash(range.start, range.end, lookup))
}
