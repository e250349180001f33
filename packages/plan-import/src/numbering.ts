// The numbering of Chinese official documents (GB/T 9704): 一、 for parts, （一） for sections,
// 1. for items, (1) for points inside an item. Matching runs on folded text, so （一） and (一),
// 1． and 1. look the same here.

export type Level = 1 | 2 | 3

export interface Numbering {
  readonly level: Level
  /** The number as printed, without brackets: 三, 二, 5. */
  readonly ordinal: string
  /** The number as it appears in a task id: 三, (二), 5. */
  readonly label: string
  /** How many characters the number and its punctuation take at the start of the line. */
  readonly length: number
}

const CN = '一二三四五六七八九十百零〇'
const PART = new RegExp(`^([${CN}]{1,4})\\s*[、.]\\s*`)
const SECTION = new RegExp(`^\\(\\s*([${CN}]{1,4})\\s*\\)\\s*[、.]?\\s*`)
// `(?!\d)` keeps 1.8万件 at the start of a line from reading as item 1, while 1.2023年底前 is item 1.
const ITEM = /^(\d{1,3})\s*(?:、|\.(?!\d)|\.(?=(?:19|20)\d{2}\s*年))\s*/

/** The heading number a line starts with, or null (inline points like (1) and ① are not headings). */
export function numberingOf(norm: string): Numbering | null {
  const part = PART.exec(norm)
  if (part?.[1] !== undefined) return { level: 1, ordinal: part[1], label: part[1], length: part[0].length }
  const section = SECTION.exec(norm)
  if (section?.[1] !== undefined) {
    return { level: 2, ordinal: section[1], label: `(${section[1]})`, length: section[0].length }
  }
  const item = ITEM.exec(norm)
  if (item?.[1] !== undefined) {
    const ordinal = String(Number(item[1]))
    return { level: 3, ordinal, label: ordinal, length: item[0].length }
  }
  return null
}
