import { PlanImportError } from './errors.ts'
import { numberingOf } from './numbering.ts'
import type { Line } from './normalise.ts'
import { walk, type OutlineNode } from './outline.ts'
import { blockTitle } from './titles.ts'
import type { PlanSection } from './types.ts'

// Which heading is which. Plans name their parts in a handful of customary ways; the goals part
// holds the targets, the key-work part the tasks, the safeguards part the safeguards.

const GOAL = /目标/
const KEY_WORK =
  /重点工作|重点任务|主要任务|工作任务|具体任务|任务分工|任务措施|重点举措|主要举措|重要举措|主要措施|工作措施|重点项目|主要工作|工作内容|主要内容|重点行动|主要行动|专项行动|行动任务/
const SAFEGUARD = /保障|组织实施|工作要求|实施要求|组织领导/
// Parts that are never tasks, for documents with no key-work heading (task-division outlines).
const NOT_TASKS =
  /指导思想|总体要求|基本原则|总体思路|工作原则|目标|保障|组织实施|工作要求|实施要求|实施步骤|进度安排|时间安排|工作步骤|实施期限|附则|适用范围|编制依据|背景|现状/

export function titleOf(node: OutlineNode): string {
  return blockTitle(node.block)
}

/** The title of an item that is output; an item with no text at all cannot be imported. */
export function requiredTitle(node: OutlineNode): string {
  const title = titleOf(node)
  if (title !== '') return title
  const detail = `item ${node.id} has no text, neither after its number nor on the lines below it`
  throw new PlanImportError('UNTITLED_ITEM', node.line.no, detail)
}

export function sectionsOf(roots: readonly OutlineNode[]): PlanSection[] {
  return roots
    .filter((node) => node.level === 1)
    .map((node) => ({ ordinal: node.ordinal, title: requiredTitle(node) }))
}

/** The goals heading, the outermost one when a goals part has goal sub-headings. */
export function goalNode(roots: readonly OutlineNode[]): OutlineNode | null {
  const isGoal = (node: OutlineNode): boolean => {
    const title = titleOf(node)
    return node.level < 3 && title.length <= 16 && GOAL.test(title) && !KEY_WORK.test(title)
  }
  return walk(roots).find(isGoal) ?? null
}

/** Key-work parts: top-level ones when there are any, else key-work sub-headings. */
export function keyWorkNodes(roots: readonly OutlineNode[]): OutlineNode[] {
  const isKeyWork = (node: OutlineNode): boolean =>
    KEY_WORK.test(titleOf(node)) && !SAFEGUARD.test(titleOf(node))
  const parts = roots.filter((node) => node.level === 1 && isKeyWork(node))
  if (parts.length > 0) return parts
  return walk(roots).filter((node) => node.level === 2 && isKeyWork(node))
}

/** Parts that may hold tasks when no key-work heading says where they are. */
export function mayHoldTasks(node: OutlineNode): boolean {
  return !NOT_TASKS.test(titleOf(node))
}

/** The titles of the safeguards part's sub-headings (or items, when it has no sub-headings). */
export function safeguardsOf(roots: readonly OutlineNode[]): string[] {
  const part = roots.find(
    (node) => node.level === 1 && SAFEGUARD.test(titleOf(node)) && !KEY_WORK.test(titleOf(node)),
  )
  return part?.children.map(requiredTitle) ?? []
}

/** Index of the first line with a heading number, or the line count when there is none. */
export function firstHeadingIndex(lines: readonly Line[]): number {
  const index = lines.findIndex((line) => numberingOf(line.norm) !== null)
  return index < 0 ? lines.length : index
}
