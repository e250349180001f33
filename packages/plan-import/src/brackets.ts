import { sliceText, type Text } from './normalise.ts'

// Bureau names and titles carry brackets of their own (市科技局（市知识产权局）, 《…》, “…”), so
// lists are split only at separators outside every bracket and quote.

const OPEN = '(〔【[《“‘<〈'
const CLOSE = ')〕】]》”’>〉'

function depthStep(ch: string): number {
  if (OPEN.includes(ch)) return 1
  if (CLOSE.includes(ch)) return -1
  return 0
}

/** Offsets of `separators` that stand outside brackets; all of them when the brackets do not balance. */
function cutPoints(norm: string, separators: string): number[] {
  const cuts: number[] = []
  let depth = 0
  for (let i = 0; i < norm.length; i++) {
    const ch = norm.charAt(i)
    if (depth === 0 && separators.includes(ch)) cuts.push(i)
    depth = Math.max(0, depth + depthStep(ch))
  }
  if (depth === 0) return cuts
  return [...norm].flatMap((ch, i) => (separators.includes(ch) ? [i] : []))
}

export interface Span {
  readonly start: number
  readonly end: number
}

/** Where the pieces between top-level separators lie; empty pieces are kept. */
export function partsOutside(norm: string, separators: string): Span[] {
  const parts: Span[] = []
  let start = 0
  for (const cut of cutPoints(norm, separators)) {
    parts.push({ start, end: cut })
    start = cut + 1
  }
  parts.push({ start, end: norm.length })
  return parts
}

/** Splits at top-level separators, dropping the separators; empty pieces are kept. */
export function splitOutside(text: Text, separators: string): Text[] {
  return partsOutside(text.norm, separators).map(({ start, end }) => sliceText(text, start, end))
}

/** Top-level round-bracket groups, brackets included, e.g. （牵头单位：区科委） in a task line. */
export function roundGroups(norm: string): Span[] {
  const groups: Span[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < norm.length; i++) {
    const ch = norm.charAt(i)
    if (ch === '(') {
      if (depth === 0) start = i
      depth++
    } else if (ch === ')' && depth > 0) {
      depth--
      if (depth === 0) groups.push({ start, end: i + 1 })
    }
  }
  return groups
}
