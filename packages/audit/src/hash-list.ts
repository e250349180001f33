import { hashSize } from './hash.ts'

const chunkHashes = 1 << 15

/**
 * A list of 32-byte hashes in fixed chunks of one megabyte: a million leaves cost 32 MB and no
 * per-hash object, and growing never copies what is already stored.
 */
export class HashList {
  private readonly chunks: Uint8Array[] = []
  private count = 0

  get length(): number {
    return this.count
  }

  push(hash: Uint8Array): void {
    if (hash.length !== hashSize) throw new RangeError(`a hash has ${hashSize} bytes, got ${hash.length}`)
    const offset = this.count % chunkHashes
    if (offset === 0) this.chunks.push(new Uint8Array(chunkHashes * hashSize))
    ;(this.chunks.at(-1) as Uint8Array).set(hash, offset * hashSize)
    this.count += 1
  }

  /** The hash at `index` (a view on the stored bytes: do not modify it). */
  get(index: number): Uint8Array {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.count) {
      throw new RangeError(`no hash at ${index} of ${this.count}`)
    }
    const chunk = this.chunks[Math.floor(index / chunkHashes)] as Uint8Array
    const offset = (index % chunkHashes) * hashSize
    return chunk.subarray(offset, offset + hashSize)
  }
}
