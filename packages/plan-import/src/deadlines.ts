// The year a goal is due: 到2025年, 截至2019年, 2023年底前, or the end of a range (2021—2023年).
// Years that name a starting point (比2020年, 2020年的30件, 在2020年基础上) are not deadlines.

const YEAR = /((?:19|20)\d{2})\s*年(?:度)?(?:底|末)?/g
const BEFORE_BASE = /(?:比|较|从|由|相比|同|与)\s*$/
const AFTER_BASE = /^\s*(?:为|是|的|基础|水平|相比|同期)/

export interface YearMention {
  readonly year: string
  readonly index: number
}

/** Years in a folded string that can be deadlines, in order. */
export function deadlineYears(norm: string): YearMention[] {
  return [...norm.matchAll(YEAR)].flatMap((match) => {
    const before = norm.slice(Math.max(0, match.index - 3), match.index)
    const after = norm.slice(match.index + match[0].length)
    if (BEFORE_BASE.test(before) || AFTER_BASE.test(after) || match[1] === undefined) return []
    return [{ year: match[1], index: match.index }]
  })
}

/** The deadline nearest before `at` in `norm`; failing that, the first after it. */
export function deadlineAround(norm: string, at: number): string | null {
  const years = deadlineYears(norm)
  const before = years.filter((mention) => mention.index < at).at(-1)
  return before?.year ?? years.find((mention) => mention.index >= at)?.year ?? null
}

/** The last deadline stated in a lead-in text (到2025年，实现以下目标：). */
export function leadInDeadline(texts: readonly string[]): string | null {
  return texts.flatMap(deadlineYears).at(-1)?.year ?? null
}
