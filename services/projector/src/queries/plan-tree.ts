import type { SqlClient } from '../db.ts'
import type { TableNames } from '../schema.ts'
import {
  countByStatus,
  taskColumns,
  taskView,
  type StatusCounts,
  type TaskRow,
  type TaskView,
} from './views.ts'

export interface Rollup extends StatusCounts {
  /** Average progress of the tasks below, cancelled ones left out; null when there are none. */
  percent: number | null
}

export interface SectionNode {
  ordinal: string
  /** The section's title when the plan text names it (top-level sections), else null. */
  title: string | null
  progress: Rollup
  /** Tasks directly in this section, in publication order. */
  tasks: TaskView[]
  sections: SectionNode[]
}

export interface TargetView {
  targetId: string
  metric: string
  text: string
  baseline: number | null
  value: number
  unit: string
  deadline: string | null
  reportingBureauIds: string[]
  latest: { value: number; asOf: string; bureauId: string | null } | null
  measurements: number
  /** latest / value; null before the first measurement. */
  attainment: number | null
}

interface PlanRow {
  plan_id: string
  status: string
  title: string
  doc_number: string | null
  issuer: string | null
  issue_date: string | null
  period: { from: string; to: string } | null
  sections: { ordinal: string; title: string }[]
  safeguards: string[]
  source: unknown
  goals: { goalId: string; text: string }[]
  amendments: number
  imported_at: string
  issued_at: string | null
}

interface TargetRow {
  target_id: string
  metric: string
  text: string
  baseline: number | null
  value: number
  unit: string
  deadline: string | null
  reporting_bureau_ids: string[]
  latest_value: number | null
  latest_as_of: string | null
  latest_bureau_id: string | null
  measurements: number
}

/** The plan, its sections with their tasks (progress rolled up at every level) and its targets. */
export async function planTree(db: SqlClient, t: TableNames, planId: string, today: string) {
  const [plan] = await db.query<PlanRow>(`select * from ${t.plan} where plan_id = $1`, [planId])
  if (!plan) return null
  const taskRows = await db.query<TaskRow>(
    `select ${taskColumns()} from ${t.task} where plan_id = $1 order by published_position`,
    [planId],
  )
  const targetRows = await db.query<TargetRow>(`select * from ${t.target} where plan_id = $1 order by ord`, [
    planId,
  ])
  const tasks = taskRows.map((row) => taskView(row, today))
  const root = sectionTree(plan.sections, tasks)
  return {
    plan: {
      planId: plan.plan_id,
      status: plan.status,
      title: plan.title,
      docNumber: plan.doc_number,
      issuer: plan.issuer,
      issueDate: plan.issue_date,
      period: plan.period,
      safeguards: plan.safeguards,
      source: plan.source,
      goals: plan.goals,
      amendments: plan.amendments,
      importedAt: plan.imported_at,
      issuedAt: plan.issued_at,
    },
    today,
    progress: rollup(tasks),
    sections: root.sections,
    /** Tasks published with no section path. */
    tasks: root.tasks,
    targets: targetRows.map(targetView),
  }
}

function sectionTree(titled: { ordinal: string; title: string }[], tasks: TaskView[]): SectionNode {
  const root: SectionNode = { ordinal: '', title: null, progress: rollup([]), tasks: [], sections: [] }
  const node = (parent: SectionNode, ordinal: string, title: string | null): SectionNode => {
    let child = parent.sections.find((section) => section.ordinal === ordinal)
    if (!child) {
      child = { ordinal, title, progress: rollup([]), tasks: [], sections: [] }
      parent.sections.push(child)
    }
    return child
  }
  for (const section of titled) node(root, section.ordinal, section.title)
  for (const task of tasks)
    task.sectionPath.reduce((parent, ordinal) => node(parent, ordinal, null), root).tasks.push(task)
  const fill = (section: SectionNode): TaskView[] => {
    const below = [...section.tasks, ...section.sections.flatMap(fill)]
    section.progress = rollup(below)
    return below
  }
  fill(root)
  return root
}

function rollup(tasks: readonly TaskView[]): Rollup {
  const counted = tasks.filter((task) => task.status !== 'cancelled')
  const sum = counted.reduce((total, task) => total + task.percent, 0)
  const percent = counted.length === 0 ? null : Math.round((sum / counted.length) * 10) / 10
  return { ...countByStatus(tasks), percent }
}

function targetView(row: TargetRow): TargetView {
  const latest =
    row.latest_value === null || row.latest_as_of === null
      ? null
      : { value: row.latest_value, asOf: row.latest_as_of, bureauId: row.latest_bureau_id }
  return {
    targetId: row.target_id,
    metric: row.metric,
    text: row.text,
    baseline: row.baseline,
    value: row.value,
    unit: row.unit,
    deadline: row.deadline,
    reportingBureauIds: row.reporting_bureau_ids,
    latest,
    measurements: row.measurements,
    attainment:
      latest === null || row.value === 0 ? null : Math.round((latest.value / row.value) * 10000) / 10000,
  }
}
