import { numberingOf } from './numbering.ts'
import type { Line } from './normalise.ts'
import { leaves, walk, type OutlineNode } from './outline.ts'
import { titleOf } from './sections.ts'

// Minutes of a joint meeting: what it heard, then what it decided (议定事项). The decisions are the
// tasks. They sit either under a heading (二、议定事项) or after a sentence that announces them
// (会议议定如下事项：); minutes that announce nothing are taken to be decisions throughout.

const DECISION_HEADING = /议定|决定事项|会议决定|会议明确|会议商定|会议确定|决议/
const DECISION_LEAD = /议定|决定|明确|商定|确定|同意|研究/

function decisionHeading(roots: readonly OutlineNode[]): OutlineNode | null {
  const isHeading = (node: OutlineNode): boolean => {
    const title = titleOf(node)
    return node.children.length > 0 && title.length <= 16 && DECISION_HEADING.test(title)
  }
  return walk(roots).find(isHeading) ?? null
}

function announcingLine(lines: readonly Line[]): Line | null {
  const announces = (line: Line): boolean =>
    numberingOf(line.norm) === null && DECISION_LEAD.test(line.norm) && /:$/.test(line.norm)
  return lines.find(announces) ?? null
}

/** The numbered decisions of the minutes, as outline nodes. */
export function decisionNodes(lines: readonly Line[], roots: readonly OutlineNode[]): OutlineNode[] {
  const heading = decisionHeading(roots)
  if (heading !== null) return heading.children.flatMap(leaves)
  const announcement = announcingLine(lines)
  if (announcement === null) return roots.flatMap(leaves)
  const after = walk(roots).filter((node) => node.line.no > announcement.no)
  const top = Math.min(...after.map((node) => node.level))
  return after.filter((node) => node.level === top).flatMap(leaves)
}

/** Whether the body announces decisions at all, which marks minutes whose title does not say 纪要. */
export function announcesDecisions(lines: readonly Line[], roots: readonly OutlineNode[]): boolean {
  return decisionHeading(roots) !== null || announcingLine(lines) !== null
}
