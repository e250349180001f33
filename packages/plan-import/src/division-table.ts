import { EMPTY_TEXT, sliceText, type Line, type Text } from './normalise.ts'
import { numberingOf, type Level, type Numbering } from './numbering.ts'
import { buildOutline, walk } from './outline.ts'
import {
  cellsOf,
  headerColumns,
  isHeaderWordLine,
  isRuleRow,
  isSameAsAbove,
  columnOf,
  type Column,
} from './table-cells.ts'

// Reads task-division tables (重点任务分工) into rows. A row's empty unit cell means "same as
// above" (a merged cell flattened to text); a row with neither number nor task continues the one
// above. Group rows (一、… / （一）…) between data rows become the front of the rows' ids.

export interface TableRow {
  readonly id: string
  readonly line: number
  readonly task: Text
  /** The unit cells of the row (and of rows continuing it), with their column. */
  readonly units: { readonly column: Column; readonly cell: Text }[]
}

export interface TableGroup {
  readonly line: Line
  readonly numbering: Numbering
  readonly rest: Text
}

export interface DivisionTable {
  readonly rows: TableRow[]
  readonly groups: TableGroup[]
  /** Line numbers the table occupies, so the outline can leave them alone. */
  readonly lines: Set<number>
}

const UNIT_COLUMNS: readonly Column[] = ['lead', 'partner', 'responsible', 'other']

function seqLabel(cell: Text | undefined): string | null {
  const value = (cell?.norm ?? '').replace(/[.、\s]+$/, '')
  if (value === '') return null
  if (/^\d+$/.test(value)) return String(Number(value))
  return numberingOf(`${value}、`)?.label ?? value
}

interface PathStep {
  readonly level: Level
  readonly label: string
}

class TableBuilder {
  readonly rows: TableRow[] = []
  readonly groups: TableGroup[] = []
  readonly lines = new Set<number>()
  private above: Text[] = []
  private inGroup = 0

  constructor(
    readonly columns: readonly Column[],
    private path: readonly PathStep[],
  ) {}

  /** Takes a heading line or cell (一、… / （一）…) as a group; false when it is not one. */
  group(line: Line, cell: Text): boolean {
    const numbering = numberingOf(cell.norm)
    if (numbering === null || numbering.level > 2) return false
    this.path = [...this.path.filter((step) => step.level < numbering.level), numbering]
    this.groups.push({ line, numbering, rest: sliceText(cell, numbering.length) })
    this.inGroup = 0
    this.lines.add(line.no)
    return true
  }

  row(line: number, given: readonly Text[]): void {
    const cells = this.columns.map((column, i) => {
      const cell = given[i] ?? EMPTY_TEXT
      return UNIT_COLUMNS.includes(column) && isSameAsAbove(cell) ? (this.above[i] ?? EMPTY_TEXT) : cell
    })
    this.above = cells
    const task = cells[this.columns.indexOf('task')] ?? EMPTY_TEXT
    const seq = seqLabel(cells[this.columns.indexOf('seq')])
    const units = this.columns.flatMap((column, i) =>
      column === 'seq' || column === 'task' ? [] : [{ column, cell: cells[i] ?? EMPTY_TEXT }],
    )
    const last = this.rows.at(-1)
    if (task.norm === '' && seq === null) {
      last?.units.push(...units)
      return
    }
    if (task.norm === '') return
    this.inGroup++
    const id = [...this.path.map((step) => step.label), seq ?? String(this.inGroup)].join('.')
    this.rows.push({ id, line, task, units })
  }
}

/**
 * A heading line between rows (二、加强保护) is a group of the table when rows follow it; otherwise
 * it is the document's next part and the table has ended.
 */
function groupLine(
  builder: TableBuilder,
  lines: readonly Line[],
  at: number,
  isRow: (line: Line) => boolean,
): boolean {
  const line = lines[at] as Line
  const next = lines.slice(at + 1).find((candidate) => candidate.norm !== '')
  return line.norm.length <= 40 && next !== undefined && isRow(next) && builder.group(line, line)
}

/**
 * The numbering path of a heading just above the table (三、重点任务 then the table), which the
 * rows' ids continue. The heading itself stays in the outline.
 */
function pathAbove(lines: readonly Line[], start: number): PathStep[] {
  const before = lines
    .slice(Math.max(0, start - 3), start)
    .filter((line) => line.norm !== '')
    .at(-1)
  const node = walk(buildOutline(lines.slice(0, start))).at(-1)
  if (before === undefined || node?.line.no !== before.no) return []
  const steps: PathStep[] = []
  for (let at: typeof node | null = node; at !== null; at = at.parent) steps.unshift(at)
  return steps
}

/** A table whose rows are `a | b | c` lines, starting at a header row at `start`. */
function rowTable(
  lines: readonly Line[],
  start: number,
  columns: Column[],
): { table: DivisionTable; end: number } {
  const builder = new TableBuilder(columns, pathAbove(lines, start))
  const framed = lines[start]?.norm.startsWith('|') ?? false
  builder.lines.add(lines[start]?.no ?? 0)
  let end = start + 1
  for (let blanks = 0; end < lines.length && blanks < 2; end++) {
    const line = lines[end] as Line
    blanks = line.norm === '' ? blanks + 1 : 0
    if (line.norm === '') continue
    const cells = cellsOf(line, framed)
    if (cells === null && !groupLine(builder, lines, end, (next) => cellsOf(next, framed) !== null)) break
    if (cells === null) continue
    builder.lines.add(line.no)
    const filled = cells.filter((cell) => cell.norm !== '')
    if (isRuleRow(cells) || (filled.length === 1 && filled[0] && builder.group(line, filled[0]))) continue
    builder.row(line.no, cells)
  }
  return { table: builder, end }
}

const SEQ = /^\d{1,3}[.、]?$/

/** A table flattened to one cell per line; blank lines are empty cells. */
function cellTable(
  lines: readonly Line[],
  start: number,
  width: number,
): { table: DivisionTable; end: number } {
  const columns = lines.slice(start, start + width).map((line) => columnOf(line.norm) as Column)
  const builder = new TableBuilder(columns, pathAbove(lines, start))
  for (let i = start; i < start + width; i++) builder.lines.add(lines[i]?.no ?? 0)
  const numbered = columns.includes('seq')
  let end = start + width
  while (end < lines.length) {
    const line = lines[end] as Line
    if (line.norm === '') {
      end++
      continue
    }
    if (numbered && !SEQ.test(line.norm)) {
      if (!groupLine(builder, lines, end, (next) => SEQ.test(next.norm))) break
      end++
      continue
    }
    const cells = lines.slice(end, end + width)
    if (!numbered && (cells[columns.indexOf('task')]?.norm ?? '') === '') break
    cells.forEach((cell) => builder.lines.add(cell.no))
    builder.row(line.no, cells)
    end += width
  }
  return { table: builder, end }
}

function tableAt(lines: readonly Line[], start: number): { table: DivisionTable; end: number } | null {
  const line = lines[start] as Line
  const cells = cellsOf(line)
  const columns = cells === null ? null : headerColumns(cells)
  if (columns !== null) return rowTable(lines, start, columns)
  let width = 0
  while (isHeaderWordLine(lines[start + width])) width++
  const header = lines.slice(start, start + width)
  if (width < 2 || headerColumns(header) === null) return null
  const found = cellTable(lines, start, width)
  return found.table.rows.length > 0 ? found : null
}

/** Every task-division table in the lines, in order. */
export function findDivisionTables(lines: readonly Line[]): DivisionTable[] {
  const tables: DivisionTable[] = []
  for (let i = 0; i < lines.length; i++) {
    const found = tableAt(lines, i)
    if (found === null) continue
    tables.push(found.table)
    i = found.end - 1
  }
  return tables
}
