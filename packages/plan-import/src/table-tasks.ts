import type { DivisionTable, TableGroup, TableRow } from './division-table.ts'
import { PlanImportError } from './errors.ts'
import { fold, sliceText, type Text } from './normalise.ts'
import { numberingOf } from './numbering.ts'
import { assign, KEYWORD, readSegment, settle, type Assignment } from './responsibilities.ts'
import { itemTitle } from './titles.ts'
import type { PlanSection, PlanTask } from './types.ts'
import { orgUnits, splitUnits } from './unit-names.ts'

// Tasks from task-division tables: either the whole list of tasks (a division document), or the
// responsibilities for tasks the plan's outline already lists (分工表 as an appendix).

function cellAssignments(column: string, cell: Text): Assignment[] {
  if (column === 'other' || /^(?:无|-+|\/)?$/.test(cell.norm)) return []
  const role = column === 'lead' ? 'lead' : column === 'partner' ? 'partner' : 'responsible'
  const units = orgUnits(cell)
  if (units !== null) return assign(units, role)
  return KEYWORD.test(cell.norm) ? readSegment(cell) : assign(splitUnits(cell), role)
}

export function rowAssignments(row: TableRow): Assignment[] {
  return row.units.flatMap(({ column, cell }) => cellAssignments(column, cell))
}

function rowTitle(row: TableRow): string {
  const numbering = numberingOf(row.task.norm)
  return itemTitle(numbering === null ? row.task : sliceText(row.task, numbering.length))
}

export function rowTask(row: TableRow, firstListedLeads: boolean): PlanTask {
  const title = rowTitle(row)
  if (title === '') {
    const detail = `the task cell of row ${row.id} holds no task, only a number or who is responsible`
    throw new PlanImportError('UNTITLED_ITEM', row.line, detail)
  }
  return { id: row.id, title, ...settle(rowAssignments(row), firstListedLeads) }
}

function groupTitle(group: TableGroup): string {
  const title = itemTitle(group.rest)
  if (title !== '') return title
  const detail = `the group row ${group.numbering.label} has no text after its number`
  throw new PlanImportError('UNTITLED_ITEM', group.line.no, detail)
}

/** Top-level group rows of tables, as sections. */
export function tableSections(tables: readonly DivisionTable[]): PlanSection[] {
  return tables.flatMap((table) =>
    table.groups
      .filter((group) => group.numbering.level === 1)
      .map((group) => ({ ordinal: group.numbering.ordinal, title: groupTitle(group) })),
  )
}

const key = (value: string): string => fold(value).replace(/[\s\p{P}\p{S}]/gu, '')

/** Same task when one title starts or contains the other, or they share a long opening. */
function sameTask(a: string, b: string): boolean {
  if (a.length < 4 || b.length < 4) return false
  if (a.includes(b) || b.includes(a)) return true
  let common = 0
  while (common < a.length && a[common] === b[common]) common++
  return common >= 8
}

/**
 * Adds each row's units to the outline task it describes: matched by title, or by position when the
 * table has exactly one row per task.
 */
export function mergeRows(
  tasks: readonly PlanTask[],
  rows: readonly TableRow[],
  firstListedLeads: boolean,
): PlanTask[] {
  const keys = tasks.map((task) => key(task.title))
  const extra = tasks.map((): Assignment[] => [])
  const taken = new Set<number>()
  rows.forEach((row, r) => {
    const rowKey = key(rowTitle(row))
    let index = keys.findIndex((k, i) => !taken.has(i) && sameTask(k, rowKey))
    if (index < 0 && rows.length === tasks.length && !taken.has(r)) index = r
    if (index < 0) return
    taken.add(index)
    extra[index]?.push(...rowAssignments(row))
  })
  return tasks.map((task, i) => {
    const fromTable = settle(extra[i] ?? [], firstListedLeads)
    const leads = [...new Set([...task.leads, ...fromTable.leads])]
    const partners = [...new Set([...task.partners, ...fromTable.partners])].filter(
      (name) => !leads.includes(name),
    )
    return { ...task, leads, partners }
  })
}
