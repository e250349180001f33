import { partsOutside, type Span } from './brackets.ts'
import { deadlineAround, leadInDeadline } from './deadlines.ts'
import { PlanImportError } from './errors.ts'
import { sliceText, trimText, type Text } from './normalise.ts'
import type { OutlineNode } from './outline.ts'
import { isBaseline, quantitiesIn, TARGET_VERB, type Quantity } from './quantities.ts'
import type { PlanTarget } from './types.ts'

// Quantitative goals of the goals section. Each figure with a unit that is not a baseline is a
// target; its metric is what the clause says is measured, its deadline the year stated in the
// sentence or, failing that, in the lead-in of the (sub)section it sits in.

// A deadline between the name and the verb (专利申请量2018年达到) is not part of the name either.
const TRAILING = new RegExp(
  `(?:${TARGET_VERB.source}|以上|在|要|(?:到|至|截至|于)?\\s*(?:19|20)\\d{2}\\s*年(?:度)?(?:底|末)?(?:前|以前)?)\\s*$`,
)
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
  const region = sentence.norm.slice(segment.start, quantity.start)
  const baseline = BASELINE_START.exec(region)
  const stop = baseline === null ? region.length : baseline.index
  const tail = strippable(region.slice(0, stop), TRAILING, true)
  const lead = strippable(region.slice(0, stop - tail), LEADING, false)
  const start = segment.start + lead
  const end = segment.start + stop - tail
  const before = trimText(sliceText(sentence, start, Math.max(start, end)), ',、')
  if (before.norm !== '' || baseline !== null) return before.raw
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

/** A target and where its text starts in the sentence, while the sentence is read. */
interface Found {
  target: PlanTarget
  readonly from: number
}

/** A metric names something: a clause left with only brackets or punctuation names nothing. */
const namesSomething = (metric: string): boolean => /\p{L}/u.test(metric)

/**
 * A figure whose clause names no indicator (…达到1.8万件，年均增长10%; 2019年达到1万件，2020年达到
 * 1.2万件) speaks of the indicator of the target before it in the sentence. For another year it is
 * that indicator's milestone; for the same year it qualifies that target, whose text takes it in.
 * With no target before it, it names nothing and is no target.
 */
function targetsInSentence(sentence: Text, fallback: () => string | null): PlanTarget[] {
  const targets = quantitiesIn(sentence.norm).filter((quantity) => !isBaseline(sentence.norm, quantity))
  const found: Found[] = []
  for (const clause of partsOutside(sentence.norm, ',;:')) {
    const inClause = targets.filter((q) => q.start >= clause.start && q.start < clause.end)
    const spans = segments(clause, sentence.norm, inClause)
    inClause.forEach((quantity, i) => {
      const segment = spans[i] ?? clause
      const metric = metricOf(sentence, segment, quantity)
      const deadline = deadlineAround(sentence.norm, quantity.start) ?? fallback()
      const textOf = (from: number): string => trimText(sliceText(sentence, from, segment.end), ',、').raw
      const { value, unit } = quantity
      const previous = found.at(-1)
      if (namesSomething(metric)) {
        found.push({
          target: { text: textOf(segment.start), metric, value, unit, deadline },
          from: segment.start,
        })
      } else if (previous !== undefined && previous.target.deadline !== deadline) {
        const target = { text: textOf(segment.start), metric: previous.target.metric, value, unit, deadline }
        found.push({ target, from: segment.start })
      } else if (previous !== undefined) {
        previous.target = { ...previous.target, text: textOf(previous.from) }
      }
    })
  }
  return found.map(({ target }) => target)
}

function ancestorDeadline(node: OutlineNode | null, goal: OutlineNode): string | null {
  for (let at = node; at !== null; at = at === goal ? null : at.parent) {
    const year = leadInDeadline(at.block.map((text) => text.norm))
    if (year !== null) return year
  }
  return null
}

/** A target and the line that states it. */
interface StatedTarget {
  readonly target: PlanTarget
  readonly line: number
}

function targetsInNode(node: OutlineNode, goal: OutlineNode): StatedTarget[] {
  return node.block.flatMap((text, index) => {
    const sentences = partsOutside(text.norm, '。!?').map(({ start, end }) => sliceText(text, start, end))
    return sentences.flatMap((sentence, s) => {
      const earlier = [
        ...node.block.slice(0, index).map((t) => t.norm),
        ...sentences.slice(0, s).map((t) => t.norm),
      ]
      const fallback = (): string | null =>
        leadInDeadline(earlier) ?? ancestorDeadline(node === goal ? null : node.parent, goal)
      return targetsInSentence(sentence, fallback).map((target) => ({ target, line: text.no }))
    })
  })
}

const figure = (target: PlanTarget): string => `${target.value}${target.unit}`

/**
 * A plan holds one target per indicator and year. A target stated again (in 总体目标 and again in
 * 具体目标) is kept once; two different figures for one indicator and year are refused.
 */
function onePerIndicatorAndYear(stated: readonly StatedTarget[]): PlanTarget[] {
  const kept: StatedTarget[] = []
  for (const next of stated) {
    const { metric, deadline } = next.target
    const same = kept.find((k) => k.target.metric === metric && k.target.deadline === deadline)
    if (same === undefined) {
      kept.push(next)
      continue
    }
    if (figure(same.target) === figure(next.target)) continue
    const year = deadline === null ? 'with no year stated' : `for ${deadline}`
    const detail = `${metric} has two targets ${year}: ${figure(same.target)} on line ${same.line} and ${figure(next.target)} on line ${next.line}`
    throw new PlanImportError('CONFLICTING_TARGETS', next.line, detail)
  }
  return kept.map(({ target }) => target)
}

/** Every quantitative target under the goals heading, in document order. */
export function findTargets(goal: OutlineNode | null): PlanTarget[] {
  if (goal === null) return []
  const visit = (node: OutlineNode): StatedTarget[] => [
    ...targetsInNode(node, goal),
    ...node.children.flatMap(visit),
  ]
  return onePerIndicatorAndYear(visit(goal))
}
