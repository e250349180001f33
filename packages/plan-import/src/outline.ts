import { isDateLine } from './dates.ts'
import { sliceText, type Line } from './normalise.ts'
import { numberingOf, type Level } from './numbering.ts'

// The numbering tree of a document: each heading with the text that follows it up to the next
// heading. Task ids are paths through this tree (三.(二).5).

export interface OutlineNode {
  readonly level: Level
  /** Number as printed without brackets (二), and as used in ids ((二)). */
  readonly ordinal: string
  readonly label: string
  /** Path of labels from the top: 三.(二).5 */
  readonly id: string
  readonly line: Line
  /** The heading's text after its number, then each following line until the next heading. */
  readonly block: Line[]
  readonly parent: OutlineNode | null
  readonly children: OutlineNode[]
}

// Attendance lists, distribution lists, attachments and signature dates close the text of the item
// before them: they belong to the document, not to its last task.
const TRAILER =
  /^(?:出席|列席|参加|参会|请假|记录|抄送|抄报|分送|主送|发送|印发|附件|附表)[^,。]{0,8}:|^附件\s*\d*$/

function isTrailer(norm: string): boolean {
  return TRAILER.test(norm) || isDateLine(norm)
}

/** Builds the tree from the given lines, ignoring those in `skip` (table rows, by line number). */
export function buildOutline(lines: readonly Line[], skip: ReadonlySet<number> = new Set()): OutlineNode[] {
  const roots: OutlineNode[] = []
  const open: OutlineNode[] = []
  let current: OutlineNode | null = null
  for (const line of lines) {
    if (line.norm === '' || skip.has(line.no)) continue
    const numbering = numberingOf(line.norm)
    if (numbering === null) {
      if (isTrailer(line.norm)) current = null
      else current?.block.push(line)
      continue
    }
    while ((open.at(-1)?.level ?? 0) >= numbering.level) open.pop()
    const parent = open.at(-1) ?? null
    const id = parent === null ? numbering.label : `${parent.id}.${numbering.label}`
    const { level, ordinal, label } = numbering
    current = {
      level,
      ordinal,
      label,
      id,
      line,
      block: [{ ...sliceText(line, numbering.length), no: line.no }],
      parent,
      children: [],
    }
    ;(parent?.children ?? roots).push(current)
    open.push(current)
  }
  return roots
}

/** The items under `node` that have no items under them (the node itself when it has none). */
export function leaves(node: OutlineNode): OutlineNode[] {
  return node.children.length === 0 ? [node] : node.children.flatMap(leaves)
}

/** Every node, parents before children, in document order. */
export function walk(nodes: readonly OutlineNode[]): OutlineNode[] {
  return nodes.flatMap((node) => [node, ...walk(node.children)])
}
