import { kitErrors } from './errors.ts'

// The standard or the URL-safe alphabet, padded or not; line breaks are ignored (`base64` wraps).
const base64Text = /^[A-Za-z0-9+/_-]*={0,2}$/

/**
 * The bytes a base64 field of a request holds. Node's decoder skips what is not base64, so text
 * that is not base64 would decode to some bytes and be refused later for what they are; it is
 * refused here instead, as BAD_REQUEST naming the field.
 */
export function base64Bytes(value: string, field: string): Buffer {
  const compact = value.replace(/\s+/g, '')
  if (!base64Text.test(compact) || compact.length % 4 === 1) {
    throw kitErrors.make('BAD_REQUEST', `${field} is not base64`)
  }
  return Buffer.from(compact, 'base64')
}
