import type { SqlClient } from '../db.ts'
import { projectorErrors } from '../errors.ts'
import type { TableNames } from '../schema.ts'
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
  /** The instant asked about (UTC ISO); null for the live view. */
  asOf: string | null
  /** The last event the answer includes: the live checkpoint, or the last recorded up to `asOf`. */
  position: number
  counts: StatusCounts & { lead: number; partner: number }
  tasks: AccountableTask[]
}

type RoleRow = TaskRow & { role: 'lead' | 'partner' }

// Deadline first (none last), then plan and publication order: the same order live and as of.
const liveOrder = 'tk.deadline asc nulls last, tk.plan_id, tk.published_position'
const versionOrder = 'v.deadline asc nulls last, v.plan_id, v.published_position'

/**
 * The tasks a bureau leads or partners on, as of `today`: status, deadline, days overdue, its
 * acknowledgment, the last progress report and where the task came from; counts by status.
 * Ordered by deadline (none last), then plan and publication order.
 */
export async function bureauAccountability(
  db: SqlClient,
  t: TableNames,
  bureauId: string,
  today: string,
): Promise<BureauAccountability> {
  // The checkpoint rides along on every row (one statement: one snapshot, one round trip); a
  // bureau on no task still gets it, from the outer join's one empty row.
  const rows = await db.query<RoleRow & { checkpoint: string | number }>(
    `select bt.role, ${taskColumns('tk')}, s.checkpoint
     from (select checkpoint from rm_state where status = 'live') s
     left join (${t.bureau_task} bt join ${t.task} tk on tk.stream_id = bt.stream_id)
       on bt.bureau_id = $1
     order by ${liveOrder}`,
    [bureauId],
  )
  const checkpoint = Number(rows[0]?.checkpoint ?? 0)
  const tasks = rows.filter((row) => row.role !== null)
  return accountability(bureauId, today, null, checkpoint, tasks)
}

/**
 * The same view as the record showed it at the instant `asOf` (UTC ISO): each task the bureau was
 * ever on, in its last version recorded up to then, kept when the bureau led or partnered on it
 * at that version. Later events, corrections included, are absent; `today` is asOf's day.
 */
export async function bureauAccountabilityAsOf(
  db: SqlClient,
  t: TableNames,
  bureauId: string,
  asOf: string,
  today: string,
): Promise<BureauAccountability> {
  // Recording time never goes back as positions grow, so each task's last version up to `asOf` is
  // the newest by (recorded_at, position): one probe of the version key per task the bureau was
  // ever on, however long the history.
  const versions = await db.query<TaskRow>(
    `select ${taskColumns('v')}
     from ${t.bureau_task_ever} e
     cross join lateral (
       select ${taskColumns()}, published_position from ${t.task_version} v
       where v.stream_id = e.stream_id and v.recorded_at <= $2
       order by v.recorded_at desc, v.position desc
       limit 1) v
     where e.bureau_id = $1
     order by ${versionOrder}`,
    [bureauId, asOf],
  )
  const rows = versions.flatMap((row): RoleRow[] => {
    if (row.leads.includes(bureauId)) return [Object.assign(row, { role: 'lead' as const })]
    if (row.partners.includes(bureauId)) return [Object.assign(row, { role: 'partner' as const })]
    return []
  })
  const [last] = await db.query<{ position: string | number | null }>(
    `select position from ${t.activity} where recorded_at <= $1
     order by recorded_at desc, position desc limit 1`,
    [asOf],
  )
  return accountability(bureauId, today, asOf, Number(last?.position ?? 0), rows)
}

/**
 * Refuses, with UNKNOWN_BUREAU, the view of a bureau that no event up to the view's position
 * concerns: never registered, never on a task, in no meeting's, list's or reorganisation's events
 * (a mistyped id, say), where an empty view would read as a clean record. Bounded by the position,
 * an answer as of an instant is what the read models replayed up to that instant answer: a bureau
 * the record first names later is unknown then.
 */
export async function requireKnownBureau(db: SqlClient, t: TableNames, view: BureauAccountability) {
  const [row] = await db.query<{ known: boolean }>(
    `select exists (select 1 from ${t.activity_bureau} where bureau_id = $1 and position <= $2) as known`,
    [view.bureauId, view.position],
  )
  if (row?.known) return
  const when = view.asOf === null ? '' : ` as of ${view.asOf}`
  throw projectorErrors.make('UNKNOWN_BUREAU', `'${view.bureauId}'${when}`)
}

function accountability(
  bureauId: string,
  today: string,
  asOf: string | null,
  position: number,
  rows: RoleRow[],
): BureauAccountability {
  // Added to the view rather than spread into a new literal: V8 (Node 20) takes microseconds to
  // spread an object of this many properties followed by more, a fraction of that to assign two.
  const tasks: AccountableTask[] = rows.map((row) =>
    Object.assign(taskView(row, today), {
      role: row.role,
      acknowledgedAt: row.acknowledged.find((a) => a.bureauId === bureauId)?.at ?? null,
    }),
  )
  const counts = {
    ...countByStatus(tasks),
    lead: tasks.filter((task) => task.role === 'lead').length,
    partner: tasks.filter((task) => task.role === 'partner').length,
  }
  return { bureauId, today, asOf, position, counts, tasks }
}
