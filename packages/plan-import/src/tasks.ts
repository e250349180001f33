import type { OutlineNode } from './outline.ts'
import { leaves } from './outline.ts'
import { responsibilityOf, type Responsibility } from './responsibilities.ts'
import { keyWorkNodes, mayHoldTasks, requiredTitle } from './sections.ts'
import type { PlanTask } from './types.ts'

// Tasks are the leaf items of the key-work part: a （一） heading with no numbered items under it is
// itself a task, while (1)(2) points inside an item are not. Documents without a key-work heading
// (task-division outlines) take their tasks from every part that is not preamble or safeguards.

const isEmpty = (found: Responsibility): boolean => found.leads.length === 0 && found.partners.length === 0

export interface TaskNodes {
  readonly nodes: OutlineNode[]
  /** The key-work heading when it exists but holds no items: where a NO_TASKS error points. */
  readonly emptyPart: OutlineNode | null
}

export function taskNodes(roots: readonly OutlineNode[]): TaskNodes {
  const parts = keyWorkNodes(roots)
  if (parts.length > 0) {
    const nodes = parts.flatMap((part) => part.children.flatMap(leaves))
    return { nodes, emptyPart: nodes.length === 0 ? (parts[0] ?? null) : null }
  }
  const nodes = roots.filter(mayHoldTasks).flatMap((root) => {
    if (root.children.length > 0) return root.children.flatMap(leaves)
    // A bare top-level part is a task only when it says who does it (一、…（牵头单位：…）).
    return root.level > 1 || !isEmpty(responsibilityOf(root.block, false)) ? [root] : []
  })
  return { nodes, emptyPart: null }
}

/** A task from its outline node; with no units of its own it takes those on its headings' lines. */
export function nodeTask(node: OutlineNode, firstListedLeads: boolean): PlanTask {
  let found = responsibilityOf(node.block, firstListedLeads)
  for (let up = node.parent; up !== null && isEmpty(found); up = up.parent) {
    found = responsibilityOf(up.block.slice(0, 1), firstListedLeads)
  }
  return { id: node.id, title: requiredTitle(node), leads: found.leads, partners: found.partners }
}
