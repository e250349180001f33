import { randomFillSync } from 'node:crypto'

const pool = new Uint8Array(16 * 256)
let offset = pool.length
let lastMs = 0
let sequence = 0

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter that keeps ids made
 * in the same millisecond in order, then random bits. Ids made by one process sort by creation.
 */
export function uuidv7(now: number = Date.now()): string {
  if (offset >= pool.length) {
    randomFillSync(pool)
    offset = 0
  }
  const bytes = pool.subarray(offset, offset + 16)
  offset += 16
  if (now <= lastMs) {
    sequence += 1
    if (sequence > 0xfff) {
      lastMs += 1
      sequence = 0
    }
    now = lastMs
  } else {
    lastMs = now
    sequence = (bytes[6] ?? 0) & 0x7f
  }
  const hex = new Array<string>(16)
  const ms = BigInt(now)
  for (let i = 0; i < 6; i++)
    hex[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn)
      .toString(16)
      .padStart(2, '0')
  hex[6] = (0x70 | (sequence >> 8)).toString(16).padStart(2, '0')
  hex[7] = (sequence & 0xff).toString(16).padStart(2, '0')
  hex[8] = (0x80 | ((bytes[8] ?? 0) & 0x3f)).toString(16).padStart(2, '0')
  for (let i = 9; i < 16; i++) hex[i] = (bytes[i] ?? 0).toString(16).padStart(2, '0')
  const s = hex.join('')
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`
}
