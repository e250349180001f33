// Chinese documents mix full-width and half-width forms for the same thing: （一） and (一), 1． and
// 1., 2022—2025 and 2022-2025, ｜ and |. Matching runs on a folded copy of each string whose characters map
// one to one onto the original, so any match can be cut from the text as printed at the same offsets.

/** A piece of text as printed (`raw`) and its folded twin of equal length (`norm`). */
export interface Text {
  readonly raw: string
  readonly norm: string
}

/** One line of the document, trimmed; `no` is the 1-based line number in the input. */
export interface Line extends Text {
  readonly no: number
}

const DASHES = new Set([0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xfe58, 0xfe63, 0x301c])
const SPACES = new Set([0x0b, 0x0c, 0xa0, 0x3000, 0x200b, 0x202f, 0x205f, 0xfeff])

function foldCode(code: number): number {
  if (code >= 0xff01 && code <= 0xff5e) return code - 0xfee0
  if (DASHES.has(code)) return 0x2d
  if (SPACES.has(code) || (code >= 0x2000 && code <= 0x200a)) return 0x20
  if (code === 0xfe59) return 0x28
  if (code === 0xfe5a) return 0x29
  if (code === 0x2502 || code === 0x2503) return 0x7c
  return code
}

/** Folds full-width ASCII forms, dash variants and unusual spaces to plain ASCII, one char for one. */
export function fold(value: string): string {
  const out: string[] = []
  for (let i = 0; i < value.length; i++) out.push(String.fromCharCode(foldCode(value.charCodeAt(i))))
  return out.join('')
}

export function toText(raw: string): Text {
  return { raw, norm: fold(raw) }
}

export function sliceText(text: Text, start: number, end?: number): Text {
  return { raw: text.raw.slice(start, end), norm: text.norm.slice(start, end) }
}

export function concatText(a: Text, b: Text): Text {
  return { raw: a.raw + b.raw, norm: a.norm + b.norm }
}

/** Trims whitespace and, when given, any of `extra` characters (matched on the folded form). */
export function trimText(text: Text, extra = ''): Text {
  const strip = (ch: string | undefined): boolean => ch !== undefined && (/\s/.test(ch) || extra.includes(ch))
  let start = 0
  let end = text.norm.length
  while (start < end && strip(text.norm[start])) start++
  while (end > start && strip(text.norm[end - 1])) end--
  return sliceText(text, start, end)
}

export const EMPTY_TEXT: Text = { raw: '', norm: '' }

/** Removes all whitespace, for comparing strings that were wrapped or spaced differently. */
export function squeeze(value: string): string {
  return value.replace(/[\s\u200b]+/g, '')
}

/** Splits into trimmed lines, keeping 1-based line numbers as an editor would show them. */
export function splitLines(text: string): Line[] {
  return text.split(/\r\n|\r|\n|\u2028|\u2029/).map((raw, index) => {
    const trimmed = trimText(toText(raw))
    return { no: index + 1, raw: trimmed.raw, norm: trimmed.norm }
  })
}
