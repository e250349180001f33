import { createHash } from 'node:crypto'

/** Every hash in the log is SHA-256: 32 bytes. */
export const hashSize = 32

const leafPrefix = Uint8Array.of(0x00)
const nodePrefix = Uint8Array.of(0x01)

/** MTH({}) = SHA-256 of the empty string (RFC 9162 section 2.1.1). */
export const emptyRootHash: Uint8Array = createHash('sha256').digest()

/** The hash of one leaf: SHA-256(0x00 || leaf). The prefix keeps leaves and nodes apart. */
export function leafHash(leaf: Uint8Array): Uint8Array {
  return createHash('sha256').update(leafPrefix).update(leaf).digest()
}

/** The hash of an inner node: SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return createHash('sha256').update(nodePrefix).update(left).update(right).digest()
}

/** Lower-case hex, the form hashes take in JSON. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

/** The bytes of a hex string, or null when it is not exactly `length` bytes of hex. */
export function fromHex(text: string, length = hashSize): Uint8Array | null {
  if (typeof text !== 'string' || text.length !== length * 2 || !/^[0-9a-fA-F]*$/.test(text)) return null
  return new Uint8Array(Buffer.from(text, 'hex'))
}

/** Byte-wise equality of two hashes (or any two byte strings). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
