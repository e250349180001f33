import { partsOutside, type Span } from './brackets.ts'
import { deadlineAround, leadInDeadline } from './deadlines.ts'
import { sliceText, trimText, type Text } from './normalise.ts'
import type { OutlineNode } from './outline.ts'
import { isBaseline, quantitiesIn, TARGET_VERB, type Quantity } from './quantities.ts'
import type { PlanTarget } from './types.ts'

// Quantitative goals of the goals section. Each figure with a unit that is not a baseline is a
// target; its metric is what the clause says is measured, its deadline the year stated in the
// sentence or, failing that, in the lead-in of the (sub)section it sits in.

const TRAILING = new RegExp(`(?:${TARGET_VERB.source}|以上|在|要)\\s*$`)
// A leading deadline (到2025年，) or adverb/verb (力争, 建成) is not part of the indicator's name.
const LEADING =
  /^(?:(?:到|至|截至|截止到|截止|于|在)?\s*(?:19|20)\d{2}\s*年(?:度)?(?:底|末)?(?:前|以前)?\s*,?\s*|力争|确保|争取|努力|其中|使得|使|并且|并|同时|实现|累计|培育|建成|建设|引进|打造|创建|认定|举办|培训|和|及)/
// 纠纷调解成功率从2020年的60%提高到80%: the name ends where the starting point begins.
const BASELINE_START = /(?:从|由|比|较|相比|同比)(?=\s*\d)/
const AFTER_UNIT = /^(?:以上|左右|以内|上下|的)+/
const JOINER = /、|以及|和|及/g

/** How many characters repeated matches of an anchored `pattern` take off `value`'s start or end. */
function strippable(value: string, pattern: RegExp, fromEnd: boolean): number {
  let rest = value
  for (let match = pattern.exec(rest); match && match[0] !== ''; match = pattern.exec(rest)) {
    rest = fromEnd ? rest.slice(0, match.index) : rest.slice(match[0].length)
  }
  return value.length - rest.length
}

/** The indicator's name: the clause before the verb, or the noun after the unit (建成10个工作站). */
function metricOf(sentence: Text, segment: Span, quantity: Quantity): string {
  const tail = strippable(sentence.norm.slice(segment.start, quantity.start), TRAILING, true)
  const lead = strippable(sentence.norm.slice(segment.start, quantity.start - tail), LEADING, false)
  const start = segment.start + lead
  const baseline = BASELINE_START.exec(sentence.norm.slice(start, quantity.start - tail))
  const end = baseline !== null && baseline.index > 0 ? start + baseline.index : quantity.start - tail
  const before = trimText(sliceText(sentence, start, Math.max(start, end)), ',、')
  if (before.norm !== '') return before.raw
  const skip = strippable(sentence.norm.slice(quantity.end, segment.end), AFTER_UNIT, false)
  return trimText(sliceText(sentence, quantity.end + skip, segment.end), ',、').raw
}

/** Splits a clause between its targets at the last 、/和 between neighbours. */
function segments(clause: Span, norm: string, targets: readonly Quantity[]): Span[] {
  const cuts = targets.slice(1).map((next, i) => {
    const previous = targets[i] as Quantity
    const joins = [...norm.slice(previous.end, next.start).matchAll(JOINER)].at(-1)
    return joins === undefined
      ? { end: previous.end, start: previous.end }
      : {
          end: previous.end + joins.index,
          start: previous.end + joins.index + joins[0].length,
        }
  })
  return targets.map((_, i) => ({
    start: i === 0 ? clause.start : (cuts[i - 1]?.start ?? clause.start),
    end: cuts[i]?.end ?? clause.end,
  }))
}

function targetsInSentence(sentence: Text, fallback: () => string | null): PlanTarget[] {
  const targets = quantitiesIn(sentence.norm).filter((quantity) => !isBaseline(sentence.norm, quantity))
  return partsOutside(sentence.norm, ',;:').flatMap((clause) => {
    const inClause = targets.filter((q) => q.start >= clause.start && q.start < clause.end)
    const spans = segments(clause, sentence.norm, inClause)
    return inClause.map((quantity, i) => {
      const segment = spans[i] ?? clause
      return {
        text: trimText(sliceText(sentence, segment.start, segment.end), ',、').raw,
        metric: metricOf(sentence, segment, quantity),
        value: quantity.value,
        unit: quantity.unit,
        deadline: deadlineAround(sentence.norm, quantity.start) ?? fallback(),
      }
    })
  })
}

function ancestorDeadline(node: OutlineNode | null, goal: OutlineNode): string | null {
  for (let at = node; at !== null; at = at === goal ? null : at.parent) {
    const year = leadInDeadline(at.block.map((text) => text.norm))
    if (year !== null) return year
  }
  return null
}

function targetsInNode(node: OutlineNode, goal: OutlineNode): PlanTarget[] {
  return node.block.flatMap((text, index) => {
    const sentences = partsOutside(text.norm, '。!?').map(({ start, end }) => sliceText(text, start, end))
    return sentences.flatMap((sentence, s) => {
      const earlier = [
        ...node.block.slice(0, index).map((t) => t.norm),
        ...sentences.slice(0, s).map((t) => t.norm),
      ]
      const fallback = (): string | null =>
        leadInDeadline(earlier) ?? ancestorDeadline(node === goal ? null : node.parent, goal)
      return targetsInSentence(sentence, fallback)
    })
  })
}

/** Every quantitative target under the goals heading, in document order. */
export function findTargets(goal: OutlineNode | null): PlanTarget[] {
  if (goal === null) return []
  const visit = (node: OutlineNode): PlanTarget[] => [
    ...targetsInNode(node, goal),
    ...node.children.flatMap(visit),
  ]
  return visit(goal)
}
