import { sliceText, squeeze, trimText, type Line, type Text } from './normalise.ts'

// Task-division tables survive text extraction in two shapes: a row per line with cells split by
// | (or tabs), or one cell per line. Either way the header names the columns.

export type Column = 'seq' | 'task' | 'lead' | 'partner' | 'responsible' | 'other'

/** What a header cell names, or null when the text is not a header word. */
export function columnOf(norm: string): Column | null {
  const word = squeeze(norm)
  if (/^(?:序号|编号|序)$/.test(word)) return 'seq'
  if (word === '' || word.length > 12) return null
  if (/牵头/.test(word)) return 'lead'
  if (/配合|协同|协办|参与|协助/.test(word)) return 'partner'
  if (/责任|负责|主责|承办|实施主体|单位|部门/.test(word)) return 'responsible'
  if (/时限|时间|进度|节点|期限|备注|目标|成果|指标|说明/.test(word)) return 'other'
  if (/任务|事项|内容|措施|举措|项目|工作/.test(word)) return 'task'
  if (/类别|领域|分类|板块/.test(word)) return 'other'
  return null
}

/** The columns when every cell is a header word and there is a task and a unit column. */
export function headerColumns(cells: readonly Text[]): Column[] | null {
  const columns = cells.map((cell) => columnOf(cell.norm))
  if (columns.some((column) => column === null)) return null
  const known = columns as Column[]
  const hasUnits = known.some(
    (column) => column === 'lead' || column === 'partner' || column === 'responsible',
  )
  return known.includes('task') && hasUnits ? known : null
}

/**
 * The cells of a `a | b | c` (or tab-separated) row; null for a line that is not one. In a framed
 * table (| a | b |, as the header shows) the outer bars are not cell borders; in an unframed one a
 * leading bar means an empty first cell.
 */
export function cellsOf(line: Line, framed = line.norm.startsWith('|')): Text[] | null {
  const bar = line.norm.includes('|') ? '|' : line.norm.includes('\t') ? '\t' : null
  if (bar === null) return null
  const cells: Text[] = []
  let start = 0
  for (let at = line.norm.indexOf(bar); at >= 0; at = line.norm.indexOf(bar, start)) {
    cells.push(trimText(sliceText(line, start, at)))
    start = at + 1
  }
  cells.push(trimText(sliceText(line, start)))
  if (framed && line.norm.startsWith(bar)) cells.shift()
  if (framed && line.norm.endsWith(bar) && line.norm.length > 1) cells.pop()
  return cells.length >= 2 ? cells : null
}

/** A markdown rule under the header: |---|:---:| */
export function isRuleRow(cells: readonly Text[]): boolean {
  return cells.every((cell) => /^:?-{2,}:?$/.test(cell.norm))
}

/** A line that is one header word, for tables flattened to one cell per line. */
export function isHeaderWordLine(line: Line | undefined): boolean {
  return line !== undefined && /^[\u4e00-\u9fa5()、/]{1,12}$/.test(line.norm) && columnOf(line.norm) !== null
}

/** 〃 and 同上 stand for the cell above, as an empty cell does in a merged column. */
export function isSameAsAbove(cell: Text | undefined): boolean {
  return cell === undefined || /^(?:|同上|〃|″|"|同前|同左)$/.test(cell.norm)
}
