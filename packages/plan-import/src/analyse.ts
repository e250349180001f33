import { findDivisionTables, type DivisionTable } from './division-table.ts'
import { announcesDecisions } from './minutes.ts'
import { fold, splitLines, type Line } from './normalise.ts'
import { numberingOf } from './numbering.ts'
import { buildOutline, type OutlineNode } from './outline.ts'
import { notesFirstListedLeads } from './responsibilities.ts'
import { keyWorkNodes } from './sections.ts'
import { signatureLines } from './signature.ts'
import { findTitle, type TitleFound } from './title.ts'
import type { PlanKind } from './types.ts'

// The reading shared by parsePlan and detectKind: lines, title, the plan's own text, its outline
// and its tables.

export interface Analysis {
  readonly lines: Line[]
  readonly found: TitleFound
  readonly title: string
  /** The plan's own text: from after its title line to the end. */
  readonly body: Line[]
  readonly roots: OutlineNode[]
  readonly tables: DivisionTable[]
  readonly firstListedLeads: boolean
}

// An appendix (附件1：重点任务分工表) after the plan's parts is read for tables, not as more parts.
const APPENDIX = /^附(?:件|表)\s*\d*\s*(?::.*)?$/

function outlineLines(body: readonly Line[]): Line[] {
  let headed = false
  for (const [index, line] of body.entries()) {
    if (numberingOf(line.norm) !== null) headed = true
    else if (headed && APPENDIX.test(line.norm)) return body.slice(0, index)
  }
  return [...body]
}

export function analyse(text: string): Analysis {
  const lines = splitLines(text)
  const found = findTitle(lines)
  const body = lines.slice(found.bodyStart)
  const tables = findDivisionTables(body)
  const skip = new Set([...tables.flatMap((table) => [...table.lines]), ...signatureLines(body)])
  const roots = buildOutline(outlineLines(body), skip)
  const firstListedLeads = notesFirstListedLeads(fold(text))
  return { lines, found, title: found.title?.raw ?? '', body, roots, tables, firstListedLeads }
}

export function kindOf(analysis: Analysis): PlanKind {
  const title = fold(analysis.title)
  if (/纪要|议定事项/.test(title)) return 'minutes'
  if (/分工|分解|任务清单|责任清单/.test(title)) return 'task-division'
  if (/方案|计划|规划|要点|意见|办法|细则|措施/.test(title)) return 'plan'
  if (/会议/.test(title) && announcesDecisions(analysis.body, analysis.roots)) return 'minutes'
  const onlyTables = analysis.tables.length > 0 && keyWorkNodes(analysis.roots).length === 0
  return onlyTables ? 'task-division' : 'plan'
}

/** What genre a document is: a plan, a task-division document or minutes of a meeting. */
export function detectKind(text: string): PlanKind {
  return kindOf(analyse(text))
}
