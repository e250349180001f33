import { PlanImportError } from './errors.ts'
import { assertTextual, lineAt } from './textual.ts'

// Plans arrive as saved from a browser or a word processor: UTF-8 with or without a BOM, UTF-16
// with a BOM (Windows "Unicode" text), or GBK/GB18030 from older Chinese systems, which carry no
// marker at all. Strict UTF-8 goes first because GBK bytes of real Chinese text are essentially
// never valid UTF-8, while the reverse guess would turn UTF-8 into plausible-looking nonsense.

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030'

function bomEncoding(bytes: Uint8Array): Encoding | null {
  const [a, b, c] = bytes
  if (a === 0xef && b === 0xbb && c === 0xbf) return 'utf-8'
  if (a === 0xff && b === 0xfe) return 'utf-16le'
  if (a === 0xfe && b === 0xff) return 'utf-16be'
  return null
}

function strictDecode(bytes: Uint8Array, encoding: Encoding): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes)
  } catch {
    return null
  }
}

/**
 * GB18030 accepts almost any run of high bytes, so a successful decode proves little. Real
 * government text stays almost entirely inside the GB2312 block (lead 0xA1-0xF7, trail 0xA1-0xFE);
 * Big5, Shift-JIS or random bytes land there only about a third of the time.
 */
export function looksLikeGbText(bytes: Uint8Array): boolean {
  let multi = 0
  let common = 0
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i] ?? 0
    if (lead < 0x80) {
      i++
      continue
    }
    const trail = bytes[i + 1] ?? 0
    multi++
    if (trail >= 0x30 && trail <= 0x39) {
      i += 4
      continue
    }
    if (lead >= 0xa1 && lead <= 0xf7 && trail >= 0xa1 && trail <= 0xfe) common++
    i += 2
  }
  return multi > 0 && common / multi >= 0.8
}

function byteLine(bytes: Uint8Array, index: number): number {
  let line = 1
  for (let i = 0; i < index; i++) if (bytes[i] === 0x0a) line++
  return line
}

function undecodable(bytes: Uint8Array): PlanImportError {
  const lossy = new TextDecoder('utf-8').decode(bytes)
  const bad = lossy.indexOf('\ufffd')
  const line = bad >= 0 ? lineAt(lossy, bad) : null
  const detail = 'the bytes are neither valid UTF-8 nor plausible GBK/GB18030 Chinese text'
  return new PlanImportError('UNDECODABLE', line, detail)
}

function decodeUnmarked(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0)
  if (nul >= 0) {
    throw new PlanImportError('BINARY_DOCUMENT', byteLine(bytes, nul), 'a NUL byte: this is binary data')
  }
  const utf8 = strictDecode(bytes, 'utf-8')
  if (utf8 !== null) return utf8
  const gb = looksLikeGbText(bytes) ? strictDecode(bytes, 'gb18030') : null
  if (gb !== null) return gb
  throw undecodable(bytes)
}

/**
 * Turns the bytes of a plan file into text. Throws PlanImportError: EMPTY_DOCUMENT, BINARY_DOCUMENT
 * or UNDECODABLE, naming the line where the problem starts when there is one.
 */
export function decodePlanFile(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new PlanImportError('EMPTY_DOCUMENT', null, 'the file is empty (0 bytes)')
  const bom = bomEncoding(bytes)
  const text = bom === null ? decodeUnmarked(bytes) : strictDecode(bytes, bom)
  if (text === null) {
    throw new PlanImportError(
      'UNDECODABLE',
      null,
      `the file starts with a ${bom} byte order mark but is not ${bom}`,
    )
  }
  assertTextual(text)
  return text
}
