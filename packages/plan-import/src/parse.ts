import { analyse, kindOf, type Analysis } from './analyse.ts'
import { findDocNumber } from './doc-number.ts'
import { PlanImportError } from './errors.ts'
import { decisionNodes } from './minutes.ts'
import { fold } from './normalise.ts'
import { firstHeadingIndex, goalNode, safeguardsOf, sectionsOf } from './sections.ts'
import { bodiesOn, findSignature } from './signature.ts'
import { mergeRows, rowTask, tableSections } from './table-tasks.ts'
import { nodeTask, taskNodes } from './tasks.ts'
import { findTargets } from './targets.ts'
import { assertTextual } from './textual.ts'
import { periodOf } from './title.ts'
import type { ParsedPlan, PlanTask } from './types.ts'

function firstTextLine(analysis: Analysis): number {
  return (
    (analysis.body.find((line) => line.norm !== '') ?? analysis.lines.find((line) => line.norm !== ''))?.no ??
    1
  )
}

function tasksOf(analysis: Analysis): PlanTask[] {
  const { roots, tables, firstListedLeads } = analysis
  const minutes = kindOf(analysis) === 'minutes'
  const found = minutes ? { nodes: decisionNodes(analysis.body, roots), emptyPart: null } : taskNodes(roots)
  const rows = tables.flatMap((table) => table.rows)
  if (found.nodes.length > 0) {
    return mergeRows(
      found.nodes.map((node) => nodeTask(node, firstListedLeads)),
      rows,
      firstListedLeads,
    )
  }
  if (rows.length > 0) return rows.map((row) => rowTask(row, firstListedLeads))
  if (found.emptyPart !== null) {
    throw new PlanImportError(
      'NO_TASKS',
      found.emptyPart.line.no,
      'the key-work heading has no numbered items under it',
    )
  }
  const what = minutes ? 'no numbered decisions' : 'no key-work part with numbered items'
  throw new PlanImportError(
    'NO_TASKS',
    roots[0]?.line.no ?? firstTextLine(analysis),
    `${what} and no task table`,
  )
}

/** Lines a doc number may be glued to: the title line and the notice's title line. */
function gluedLines(analysis: Analysis): Set<number> {
  const { titleLine, notice } = analysis.found
  const noticeLine = notice === null ? undefined : analysis.lines[notice.index]?.no
  return new Set([titleLine, noticeLine].filter((no): no is number => no !== null && no !== undefined))
}

function issuerOf(analysis: Analysis, signed: string | null): string | null {
  const notice = analysis.found.notice
  if (signed !== null || notice === null) return signed
  return bodiesOn(notice.issuer.raw, notice.issuer.norm)?.join('、') ?? null
}

/**
 * Reads the plain text of a plan, a task-division document or meeting minutes into a ParsedPlan.
 * Pure. Throws PlanImportError (EMPTY_DOCUMENT, BINARY_DOCUMENT, UNDECODABLE, NO_STRUCTURE,
 * NO_TASKS) naming the line where the reading failed.
 */
export function parsePlan(text: string): ParsedPlan {
  assertTextual(text)
  const analysis = analyse(text)
  const { lines, roots, tables, title } = analysis
  if (roots.length === 0 && tables.length === 0) {
    const detail = 'no numbered headings, decisions or task table follow the title, so this is not a plan'
    throw new PlanImportError('NO_STRUCTURE', firstTextLine(analysis), detail)
  }
  const tasks = tasksOf(analysis)
  const signature = findSignature(lines)
  const sections = sectionsOf(roots)
  return {
    title,
    docNumber: findDocNumber(lines.slice(0, firstHeadingIndex(lines)), gluedLines(analysis)),
    issuer: issuerOf(analysis, signature.issuer),
    issueDate: signature.issueDate,
    period: periodOf(fold(title)),
    sections: sections.length > 0 ? sections : tableSections(tables),
    targets: findTargets(goalNode(roots)),
    tasks,
    taskCount: tasks.length,
    safeguards: safeguardsOf(roots),
  }
}
