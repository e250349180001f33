import type { SqlClient } from '../db.ts'
import type { Tables } from '../schema.ts'
import {
  countByStatus,
  taskColumns,
  taskView,
  type StatusCounts,
  type TaskRow,
  type TaskView,
} from './views.ts'

export type AccountableTask = TaskView & {
  role: 'lead' | 'partner'
  /** When this bureau signed for the task; null when it has not (partners never sign). */
  acknowledgedAt: string | null
}

export interface BureauAccountability {
  bureauId: string
  today: string
  counts: StatusCounts & { lead: number; partner: number }
  tasks: AccountableTask[]
}

/**
 * The tasks a bureau leads or partners on, as of `today`: status, deadline, days overdue, its
 * acknowledgment, the last progress report and where the task came from; counts by status.
 * Ordered by deadline (none last), then plan and publication order.
 */
export async function bureauAccountability(
  db: SqlClient,
  t: Tables,
  bureauId: string,
  today: string,
): Promise<BureauAccountability> {
  const rows = await db.query<TaskRow & { role: 'lead' | 'partner' }>(
    `select bt.role, ${taskColumns('tk')}
     from ${t.bureau_task} bt join ${t.task} tk on tk.stream_id = bt.stream_id
     where bt.bureau_id = $1
     order by tk.deadline asc nulls last, tk.plan_id, tk.published_position`,
    [bureauId],
  )
  const tasks = rows.map((row) => ({
    ...taskView(row, today),
    role: row.role,
    acknowledgedAt: row.acknowledged.find((a) => a.bureauId === bureauId)?.at ?? null,
  }))
  const counts = {
    ...countByStatus(tasks),
    lead: tasks.filter((task) => task.role === 'lead').length,
    partner: tasks.filter((task) => task.role === 'partner').length,
  }
  return { bureauId, today, counts, tasks }
}
