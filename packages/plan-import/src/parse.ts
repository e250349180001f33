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

/** A task and the line its number (or table row) is on. */
interface LocatedTask {
  readonly task: PlanTask
  readonly line: number
}

function locatedTasks(analysis: Analysis): LocatedTask[] {
  const { roots, tables, firstListedLeads } = analysis
  const minutes = kindOf(analysis) === 'minutes'
  const found = minutes ? { nodes: decisionNodes(analysis.body, roots), emptyPart: null } : taskNodes(roots)
  const rows = tables.flatMap((table) => table.rows)
  if (found.nodes.length > 0) {
    const merged = mergeRows(
      found.nodes.map((node) => nodeTask(node, firstListedLeads)),
      rows,
      firstListedLeads,
    )
    return merged.map((task, i) => ({ task, line: found.nodes[i]?.line.no ?? 0 }))
  }
  if (rows.length > 0) return rows.map((row) => ({ task: rowTask(row, firstListedLeads), line: row.line }))
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

function listed(numbers: readonly number[]): string {
  return numbers.length <= 2
    ? numbers.join(' and ')
    : `${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1) ?? ''}`
}

/** A task id names one task stream: two items numbered alike (a typo such as 1. twice) are refused. */
function requireDistinctIds(tasks: readonly LocatedTask[]): void {
  const lines = new Map<string, number[]>()
  for (const { task, line } of tasks) lines.set(task.id, [...(lines.get(task.id) ?? []), line])
  const repeated = [...lines].find(([, at]) => at.length > 1)
  if (repeated === undefined) return
  const [id, at] = repeated
  const detail = `task number ${id} is given to ${at.length} items, on lines ${listed(at)}; each task needs a number of its own`
  throw new PlanImportError('DUPLICATE_TASK_ID', at[1] ?? null, detail)
}

function tasksOf(analysis: Analysis): PlanTask[] {
  const located = locatedTasks(analysis)
  requireDistinctIds(located)
  return located.map(({ task }) => task)
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
 * Pure. Throws PlanImportError (see planImportErrors) naming the line where the reading failed,
 * so that whatever it returns the planning service can import whole.
 */
export function parsePlan(text: string): ParsedPlan {
  assertTextual(text)
  const analysis = analyse(text)
  const { lines, roots, tables, title } = analysis
  if (roots.length === 0 && tables.length === 0) {
    const detail = 'no numbered headings, decisions or task table follow the title, so this is not a plan'
    throw new PlanImportError('NO_STRUCTURE', firstTextLine(analysis), detail)
  }
  if (title.trim() === '') {
    const detail = 'no title line precedes the first heading, so the plan would have no name'
    throw new PlanImportError('NO_TITLE', firstTextLine(analysis), detail)
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
