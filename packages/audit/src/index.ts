export { emptyRootHash, fromHex, hashSize, leafHash, nodeHash, sameBytes, toHex } from './hash.ts'
export {
  consistencyProofRanges,
  hashesForRanges,
  inclusionPathRanges,
  nodesForRanges,
  perfectSubtrees,
  rangeHash,
  splitPoint,
  type LeafRange,
  type NodeLookup,
  type NodeRef,
} from './ranges.ts'
export { verifyConsistency, verifyInclusion } from './verify.ts'
export { MerkleTree } from './tree.ts'
export { HashList } from './hash-list.ts'
export { Frontier, type StoredNode } from './frontier.ts'
export { canonicalJson } from './canonical-json.ts'
export { LeafFormatError, leafBytes, leafText, parseLeaf, type LeafEvent } from './leaf.ts'
export {
  keyIdOf,
  signTreeHead,
  treeHeadContext,
  treeHeadMessage,
  treeHeadProblem,
  verifyHeadConsistency,
  verifyTreeHeadSignature,
  type SignedTreeHead,
  type TreeHead,
} from './tree-head.ts'
export {
  HistoryVerifier,
  verifyHistory,
  type HistoryProblem,
  type HistoryProblemKind,
  type HistoryReport,
} from './history.ts'
export { measureVerify, syntheticLeaves, verifyLeavesAgainstHead, type VerifyMeasurement } from './bench.ts'
export * from './report/index.ts'
