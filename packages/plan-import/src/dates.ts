// Signature dates are printed as 2017年5月22日, with stray spaces (2021年 3 月 5 日) or, in older
// documents, in Chinese numerals (二〇一七年五月二十二日).

const ARABIC = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/
const CHINESE =
  /([〇零○O一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日/
const DIGITS = '〇一二三四五六七八九'

export interface FoundDate {
  /** YYYY-MM-DD */
  readonly iso: string
  readonly index: number
  readonly length: number
}

function chineseYear(text: string): number {
  const digits = [...text].map((ch) => (ch === '零' || ch === '○' || ch === 'O' ? 0 : DIGITS.indexOf(ch)))
  return Number(digits.join(''))
}

/** 十 = 10, 十二 = 12, 二十 = 20, 二十二 = 22. */
export function chineseNumber(text: string): number {
  const [tens, units] = text.split('十')
  if (units === undefined) return DIGITS.indexOf(text)
  const ten = tens === '' || tens === undefined ? 1 : DIGITS.indexOf(tens)
  return ten * 10 + (units === '' ? 0 : DIGITS.indexOf(units))
}

/** YYYY-MM-DD, or null when no such day exists (2017年2月30日). */
function iso(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day))
  const exists = date.getUTCMonth() === month - 1 && date.getUTCDate() === day && year >= 1000
  return exists ? `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` : null
}

/** The first full date (year, month and day) in a folded string. */
export function findDate(norm: string): FoundDate | null {
  const arabic = ARABIC.exec(norm)
  if (arabic) {
    const value = iso(Number(arabic[1]), Number(arabic[2]), Number(arabic[3]))
    if (value !== null) return { iso: value, index: arabic.index, length: arabic[0].length }
  }
  const chinese = CHINESE.exec(norm)
  if (chinese?.[1] && chinese[2] && chinese[3]) {
    const value = iso(chineseYear(chinese[1]), chineseNumber(chinese[2]), chineseNumber(chinese[3]))
    if (value !== null) return { iso: value, index: chinese.index, length: chinese[0].length }
  }
  return null
}

/** A line that holds nothing but a date, possibly in brackets: a signature or dateline. */
export function isDateLine(norm: string): boolean {
  const date = findDate(norm)
  if (date === null) return false
  const rest = norm.slice(0, date.index) + norm.slice(date.index + date.length)
  return /^[\s()]*$/.test(rest)
}
