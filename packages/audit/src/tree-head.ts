import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto'
import { canonicalJson } from './canonical-json.ts'
import { fromHex, hashSize } from './hash.ts'
import { verifyConsistency } from './verify.ts'

/** What a tree head states: the log had `treeSize` leaves with root `rootHash` at `timestamp`. */
export interface TreeHead {
  treeSize: number
  /** MTH of the first `treeSize` leaves, lower-case hex. */
  rootHash: string
  /** When the head was signed: ISO 8601 in UTC with milliseconds (`2026-01-01T00:00:00.000Z`). */
  timestamp: string
  /** Which key signed: lower-case hex SHA-256 of the public key's DER SubjectPublicKeyInfo. */
  keyId: string
}

/** A tree head with its Ed25519 signature (base64) over `treeHeadMessage(head)`. */
export interface SignedTreeHead extends TreeHead {
  signature: string
}

/** Domain separation: a signature over a tree head can never be taken for one over anything else. */
export const treeHeadContext = 'coord.audit.tree-head.v1'

const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/**
 * The exact bytes signed: UTF-8 of `coord.audit.tree-head.v1`, a line feed, and the canonical JSON
 * of the four fields (`{"keyId":…,"rootHash":…,"timestamp":…,"treeSize":…}`).
 */
export function treeHeadMessage(head: TreeHead): Uint8Array {
  const problem = treeHeadProblem(head)
  if (problem) throw new TypeError(`not a tree head: ${problem}`)
  const body = canonicalJson({
    keyId: head.keyId,
    rootHash: head.rootHash,
    timestamp: head.timestamp,
    treeSize: head.treeSize,
  })
  return new TextEncoder().encode(`${treeHeadContext}\n${body}`)
}

/** What is wrong with a value that should be a tree head, or null. */
export function treeHeadProblem(head: unknown): string | null {
  if (typeof head !== 'object' || head === null) return 'not an object'
  const { treeSize, rootHash, timestamp, keyId } = head as Record<string, unknown>
  if (typeof treeSize !== 'number' || !Number.isSafeInteger(treeSize) || treeSize < 0) {
    return 'treeSize is not a whole number >= 0'
  }
  if (typeof rootHash !== 'string' || rootHash !== rootHash.toLowerCase() || !fromHex(rootHash)) {
    return `rootHash is not ${hashSize} bytes of lower-case hex`
  }
  if (typeof timestamp !== 'string' || !isoTime.test(timestamp) || Number.isNaN(Date.parse(timestamp))) {
    return 'timestamp is not an ISO time in UTC with milliseconds'
  }
  if (typeof keyId !== 'string' || keyId !== keyId.toLowerCase() || !fromHex(keyId)) {
    return 'keyId is not a lower-case hex SHA-256'
  }
  return null
}

/** The key id of an Ed25519 public (or private) key: hex SHA-256 of its DER SubjectPublicKeyInfo. */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
}

/** Signs a head with an Ed25519 private key; `keyId` is the key's. */
export function signTreeHead(head: Omit<TreeHead, 'keyId'>, privateKey: KeyObject): SignedTreeHead {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new TypeError('tree heads are signed with an Ed25519 private key')
  }
  const unsigned: TreeHead = { ...head, keyId: keyIdOf(privateKey) }
  const signature = sign(null, treeHeadMessage(unsigned), privateKey).toString('base64')
  return { ...unsigned, signature }
}

/**
 * Whether `head` is well formed, names `publicKey` as its key and carries a valid Ed25519
 * signature by it over exactly its four fields.
 */
export function verifyTreeHeadSignature(head: SignedTreeHead, publicKey: KeyObject): boolean {
  if (treeHeadProblem(head) !== null || typeof head.signature !== 'string') return false
  if (publicKey.asymmetricKeyType !== 'ed25519') return false
  if (head.keyId !== keyIdOf(publicKey)) return false
  const signature = Buffer.from(head.signature, 'base64')
  if (signature.length !== 64 || signature.toString('base64') !== head.signature) return false
  return verify(null, treeHeadMessage(head), publicKey, signature)
}

/**
 * Whether two signed heads describe one append-only log: both signatures hold and `proof` is a
 * valid consistency proof from the smaller head to the larger (RFC 9162 section 2.1.4.2).
 */
export function verifyHeadConsistency(
  older: SignedTreeHead,
  newer: SignedTreeHead,
  proof: readonly Uint8Array[],
  publicKey: KeyObject,
): boolean {
  if (!verifyTreeHeadSignature(older, publicKey) || !verifyTreeHeadSignature(newer, publicKey)) return false
  const first = fromHex(older.rootHash)
  const second = fromHex(newer.rootHash)
  if (!first || !second) return false
  return verifyConsistency(older.treeSize, newer.treeSize, proof, first, second)
}
