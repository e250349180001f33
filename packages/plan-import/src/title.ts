import { isDateLine } from './dates.ts'
import { stripDocNumber } from './doc-number.ts'
import { concatText, sliceText, squeeze, trimText, type Line, type Text } from './normalise.ts'
import { numberingOf } from './numbering.ts'

// A published plan usually comes wrapped in the notice that issues it (…关于印发《X》的通知), and the
// plan's own name is X. The plan text proper starts after the line that repeats X; without a
// notice, the title is the first line that is not portal metadata, a doc number or a date.

const NOTICE = /关于(?:印发|转发|下发|发布|公布|颁布)(.+?)的通知/
const PORTAL_LABEL =
  /^(?:索引号|信息名称|文件编号|发文字号|文号|发布机构|发文机关|公开类别|公开方式|发布时间|发布日期|成文日期|生效日期|主题分类|有效性|来源|标题|名称)\s*:?\s*/
const GENRE_END =
  /(?:方案|计划|纪要|要点|意见|办法|规划|分工|安排|清单|细则|措施|任务|分工表)(?:\s*\([^()]*\))*$/

export interface Notice {
  /** The issued document's name, without its 《》. */
  readonly name: Text
  /** What precedes 关于: the issuing body as the notice names it. */
  readonly issuer: Text
  readonly index: number
}

export interface TitleFound {
  readonly title: Text | null
  /** Line number of the title line, or null when the title came from the notice alone. */
  readonly titleLine: number | null
  /** Index into the lines where the plan's own text starts. */
  readonly bodyStart: number
  readonly notice: Notice | null
}

function unquote(name: Text): Text {
  const open = name.norm.indexOf('《')
  const close = name.norm.indexOf('》', open)
  return open >= 0 && close > open ? sliceText(name, open + 1, close) : name
}

function noticeIn(line: Text, index: number): Notice | null {
  const match = NOTICE.exec(line.norm)
  if (match?.[1] === undefined) return null
  const before = line.norm.slice(0, match.index)
  // 根据《市政府关于印发…的通知》 or …的通知精神 cites another notice; it does not issue this plan. A
  // notice's own title ends its line (a glued doc number aside).
  const after = stripDocNumber(sliceText(line, match.index + match[0].length))
  if (before.split('《').length > before.split('》').length || after.norm.trim() !== '') return null
  const nameStart = match.index + 4
  const name = unquote(sliceText(line, nameStart, nameStart + match[1].length))
  const label = PORTAL_LABEL.exec(before)?.[0].length ?? 0
  return { name, issuer: trimText(sliceText(line, label, match.index)), index }
}

/** The notice line, also when its long title wraps onto a second line. */
function findNotice(lines: readonly Line[]): Notice | null {
  for (const [index, line] of lines.entries()) {
    if (numberingOf(line.norm) !== null) return null
    const next = lines[index + 1]
    const wrapped =
      next !== undefined && line.norm.includes('关于') ? noticeIn(concatText(line, next), index) : null
    const found = noticeIn(line, index) ?? wrapped
    if (found !== null) return found
  }
  return null
}

/** The line (or two wrapped lines) after the notice that repeat the plan's name. */
function repeatedName(lines: readonly Line[], notice: Notice): TitleFound | null {
  const target = squeeze(notice.name.norm)
  for (let i = notice.index + 1; i < lines.length; i++) {
    const line = lines[i]
    if (line === undefined) break
    const own = stripDocNumber(line)
    if (squeeze(own.norm) === target) return { title: own, titleLine: line.no, bodyStart: i + 1, notice }
    const next = lines[i + 1]
    if (next !== undefined && squeeze(line.norm + next.norm) === target) {
      return { title: concatText(line, next), titleLine: line.no, bodyStart: i + 2, notice }
    }
  }
  return null
}

/** Portal metadata, doc numbers, dates, bracketed notes (（此件公开发布）) and 附件 markers. */
function isFrontMatter(line: Line): boolean {
  const norm = line.norm
  const marker = norm === '' || /^附件\s*\d*\s*:?$/.test(norm) || /^\([^()]*\)$/.test(norm)
  return marker || PORTAL_LABEL.test(norm) || isDateLine(norm) || stripDocNumber(line).norm === ''
}

function couldContinueTitle(line: Line | undefined): line is Line {
  if (line === undefined || line.norm === '' || line.norm.length > 40 || isFrontMatter(line)) return false
  return numberingOf(line.norm) === null && GENRE_END.test(stripDocNumber(line).norm)
}

/** Without a notice: the first line past the front matter, joined with the next when wrapped. */
function firstLineTitle(lines: readonly Line[]): TitleFound {
  const index = lines.findIndex((line) => !isFrontMatter(line))
  const line = lines[index]
  if (line === undefined || numberingOf(line.norm) !== null) {
    return { title: null, titleLine: null, bodyStart: Math.max(index, 0), notice: null }
  }
  const own = stripDocNumber(line)
  const next = lines[index + 1]
  if (!GENRE_END.test(own.norm) && couldContinueTitle(next)) {
    return {
      title: concatText(own, stripDocNumber(next)),
      titleLine: line.no,
      bodyStart: index + 2,
      notice: null,
    }
  }
  const stop = own.norm.indexOf('。')
  const title = stop >= 0 ? sliceText(own, 0, stop) : own
  return { title, titleLine: line.no, bodyStart: index + 1, notice: null }
}

export function findTitle(lines: readonly Line[]): TitleFound {
  const notice = findNotice(lines)
  if (notice === null) return firstLineTitle(lines)
  return (
    repeatedName(lines, notice) ?? {
      title: notice.name,
      titleLine: null,
      bodyStart: notice.index + 1,
      notice,
    }
  )
}

const RANGE = /((?:19|20)\d{2})\s*年?\s*(?:-+|~|至|到)\s*((?:19|20)\d{2})/
const YEAR = /((?:19|20)\d{2})\s*(?:年|\))/

/**
 * The years a title covers: 2017-2019 from (2017-2019) or （2022—2025年）, 2023 from 2023年. A range
 * that ends before it starts (2019-2017) is a misprint that states no period.
 */
export function periodOf(title: string): string | null {
  const range = RANGE.exec(title)
  if (range) return Number(range[1]) <= Number(range[2]) ? `${range[1]}-${range[2]}` : null
  return YEAR.exec(title)?.[1] ?? null
}
