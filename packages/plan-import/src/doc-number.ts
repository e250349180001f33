import { sliceText, trimText, type Line, type Text } from './normalise.ts'

// 浦府〔2017〕94号: issuer abbreviation, year in brackets, serial number. It may stand on its own line,
// follow a label (文件编号), or be glued to the title line on either side. The same pattern also
// cites other documents inside the text ((国办发〔2016〕106号)), which is why only lines that hold
// nothing else, or the title line, count.

const DOC_NUMBER =
  /([\u4e00-\u9fa5A-Za-z]{1,10})?\s*[〔[【(]\s*((?:19|20)\d{2})\s*[〕\]】)]\s*第?\s*\d{1,5}\s*号/
// A title ends with its genre word, so a prefix that swallowed one also swallowed the title.
const GENRE_WORD = /.*(?:方案|计划|纪要|要点|意见|办法|规划|分工|安排|清单|细则|措施|通知)/
const LABEL = /^(?:文件编号|发文字号|文号|字号|编号)\s*:?\s*/

export interface DocNumberMatch {
  readonly start: number
  readonly end: number
  /** As printed, without the spaces some sources put inside it. */
  readonly value: string
}

/** The first doc number in `text`, its prefix cut back past any title or label glued before it. */
export function docNumberIn(text: Text): DocNumberMatch | null {
  const match = DOC_NUMBER.exec(text.norm)
  if (match === null) return null
  let start = match.index
  const prefix = match[1] ?? ''
  const glued = GENRE_WORD.exec(prefix) ?? LABEL.exec(prefix)
  if (glued) start += glued[0].length
  const end = match.index + match[0].length
  return { start, end, value: text.raw.slice(start, end).replace(/\s+/g, '') }
}

/** `text` without a doc number glued to its start or end. */
export function stripDocNumber(text: Text): Text {
  const match = docNumberIn(text)
  if (match === null) return text
  if (match.end >= trimText(text).norm.length) return trimText(sliceText(text, 0, match.start))
  if (trimText(sliceText(text, 0, match.start)).norm === '') return trimText(sliceText(text, match.end))
  return text
}

/**
 * The document's own number: on a line of its own (perhaps labelled), or glued to the start or end
 * of the title line or of the notice's title line (`glued` holds those line numbers).
 */
export function findDocNumber(lines: readonly Line[], glued: ReadonlySet<number>): string | null {
  for (const line of lines) {
    const match = docNumberIn(line)
    if (match === null) continue
    const rest = line.norm.slice(0, match.start) + line.norm.slice(match.end)
    // A portal's metadata row may go on after the number: 文件编号 浦府〔2017〕94号 发布机构 …
    if (rest.replace(LABEL, '').trim() === '' || LABEL.test(line.norm)) return match.value
    const atEdge = line.norm.slice(0, match.start).trim() === '' || line.norm.slice(match.end).trim() === ''
    if (glued.has(line.no) && atEdge) return match.value
  }
  return null
}
