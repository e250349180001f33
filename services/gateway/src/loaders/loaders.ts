import DataLoader from 'dataloader'
import type { ResolutionEffect } from '@coord/events/meetings'
import { implementationStatus } from '@coord/meetings'
import { taskColumns, taskView, type ReadDb, type TaskRow } from '@coord/projector'
import { LiveTables } from './tables.ts'
import type {
  AttendanceView,
  BureauView,
  MeetingNode,
  PlanHeaderView,
  PublicTaskView,
  ResolutionView,
} from './views.ts'

/**
 * Per-request batch loaders: whatever the items of a list link to (a task's plan, bureau names, a
 * meeting's attendance and resolutions, a resolution's tasks) is read in one statement per kind
 * and request, never one per item. A new set is made for every request, so nothing is cached
 * across requests.
 */
export interface Loaders {
  bureau: DataLoader<string, BureauView>
  plan: DataLoader<string, PlanHeaderView | null>
  meeting: DataLoader<string, MeetingNode | null>
  attendance: DataLoader<string, AttendanceView[]>
  /** Keyed by `resolutionKey(meetingId, today)`. */
  resolutions: DataLoader<string, ResolutionView[]>
  /** Keyed by `taskKey(planId, taskId)`. */
  task: DataLoader<string, PublicTaskView | null>
}

const separator = '\u001f'
export const resolutionKey = (meetingId: string, today: string) => `${meetingId}${separator}${today}`
export const taskKey = (planId: string, taskId: string) => `${planId}${separator}${taskId}`
const split = (key: string) => key.split(separator) as [string, string]

export function createLoaders(db: ReadDb, today: () => string): Loaders {
  const live = new LiveTables(db)
  return {
    bureau: new DataLoader((ids) => bureaus(live, ids)),
    plan: new DataLoader((ids) => plans(live, ids)),
    meeting: new DataLoader((ids) => meetingsById(live, ids, today())),
    attendance: new DataLoader((ids) => attendance(live, ids)),
    resolutions: new DataLoader((keys) => resolutions(live, keys)),
    task: new DataLoader((keys) => tasks(live, keys, today())),
  }
}

async function bureaus(live: LiveTables, ids: readonly string[]): Promise<BureauView[]> {
  const rows = await live.read((db, t) =>
    db.query<{
      bureau_id: string
      kind: string
      name_zh: string
      name_en: string
      short_name: string
      status: string
    }>(
      `select bureau_id, kind, name_zh, name_en, short_name, status from ${t.bureau} where bureau_id = any($1)`,
      [ids],
    ),
  )
  const byId = new Map(rows.map((row) => [row.bureau_id, row]))
  return ids.map((bureauId) => {
    const row = byId.get(bureauId)
    if (!row) {
      return {
        bureauId,
        registered: false,
        nameZh: null,
        nameEn: null,
        shortName: null,
        kind: null,
        status: null,
      }
    }
    return {
      bureauId,
      registered: true,
      nameZh: row.name_zh,
      nameEn: row.name_en,
      shortName: row.short_name,
      kind: row.kind,
      status: row.status,
    }
  })
}

interface PlanRow {
  plan_id: string
  status: string
  title: string
  doc_number: string | null
  issuer: string | null
  issue_date: string | null
  period: { from: string; to: string } | null
  safeguards: string[]
  goals: { goalId: string; text: string }[]
  amendments: number
  imported_at: string
  issued_at: string | null
}

async function plans(live: LiveTables, ids: readonly string[]): Promise<(PlanHeaderView | null)[]> {
  const rows = await live.read((db, t) =>
    db.query<PlanRow>(
      `select plan_id, status, title, doc_number, issuer, issue_date, period, safeguards, goals, amendments,
         imported_at, issued_at
       from ${t.plan} where plan_id = any($1)`,
      [ids],
    ),
  )
  const byId = new Map(rows.map((row) => [row.plan_id, row]))
  return ids.map((id) => {
    const row = byId.get(id)
    if (!row) return null
    return {
      planId: row.plan_id,
      status: row.status,
      title: row.title,
      docNumber: row.doc_number,
      issuer: row.issuer,
      issueDate: row.issue_date,
      period: row.period,
      safeguards: row.safeguards,
      goals: row.goals,
      amendments: row.amendments,
      importedAt: row.imported_at,
      issuedAt: row.issued_at,
    }
  })
}

interface MeetingRow {
  meeting_id: string
  session: number
  date: string
  convener: string
  agenda: string[]
  status: string
  minutes_number: string | null
  minutes_issued_on: string | null
  closed_at: string | null
  present: number
  absent: number
  delegated: number
  resolutions: number
}

async function meetingsById(
  live: LiveTables,
  ids: readonly string[],
  today: string,
): Promise<(MeetingNode | null)[]> {
  const rows = await live.read((db, t) =>
    db.query<MeetingRow>(
      `select m.meeting_id, m.session, m.date, m.convener, m.agenda, m.status, m.minutes_number,
         m.minutes_issued_on, m.closed_at,
         (select count(*) from ${t.attendance} a where a.meeting_id = m.meeting_id and a.status = 'present')::int as present,
         (select count(*) from ${t.attendance} a where a.meeting_id = m.meeting_id and a.status = 'absent')::int as absent,
         (select count(*) from ${t.attendance} a where a.meeting_id = m.meeting_id and a.status = 'delegated')::int as delegated,
         (select count(*) from ${t.resolution} r where r.meeting_id = m.meeting_id)::int as resolutions
       from ${t.meeting} m where m.meeting_id = any($1)`,
      [ids],
    ),
  )
  const byId = new Map(rows.map((row) => [row.meeting_id, row]))
  return ids.map((id) => {
    const row = byId.get(id)
    if (!row) return null
    return {
      meetingId: row.meeting_id,
      session: row.session,
      date: row.date,
      convener: row.convener,
      agenda: row.agenda,
      status: row.status,
      minutes: row.minutes_number
        ? { minutesNumber: row.minutes_number, issuedOn: row.minutes_issued_on }
        : null,
      closedAt: row.closed_at,
      attendanceCounts: { present: row.present, absent: row.absent, delegated: row.delegated },
      resolutionCount: row.resolutions,
      today,
    }
  })
}

async function attendance(live: LiveTables, ids: readonly string[]): Promise<AttendanceView[][]> {
  const rows = await live.read((db, t) =>
    db.query<{
      meeting_id: string
      bureau_id: string
      status: string
      delegate: string | null
      recorded_at: string
    }>(
      `select meeting_id, bureau_id, status, delegate, recorded_at from ${t.attendance}
       where meeting_id = any($1) order by meeting_id, ord`,
      [ids],
    ),
  )
  return ids.map((id) =>
    rows
      .filter((row) => row.meeting_id === id)
      .map((row) => ({
        bureauId: row.bureau_id,
        status: row.status,
        delegate: row.delegate,
        recordedAt: row.recorded_at,
      })),
  )
}

interface ResolutionRow {
  meeting_id: string
  resolution_id: string
  version: number
  text: string
  effect: ResolutionEffect
  reason: string | null
  superseded: unknown[]
  adopted_at: string
  corrected_at: string | null
}

/**
 * Resolutions of several meetings with the tasks each concerns, in three statements: the
 * resolutions, the tasks they created, the tasks they change.
 */
async function resolutions(live: LiveTables, keys: readonly string[]): Promise<ResolutionView[][]> {
  const meetingIds = [...new Set(keys.map((key) => split(key)[0]))]
  return live.read(async (db, t) => {
    const rows = await db.query<ResolutionRow>(
      `select meeting_id, resolution_id, version, text, effect, reason, superseded, adopted_at, corrected_at
       from ${t.resolution} where meeting_id = any($1) order by meeting_id, ord`,
      [meetingIds],
    )
    const produced = await db.query<TaskRow>(
      `select ${taskColumns()} from ${t.task} where basis_meeting_id = any($1) order by published_position`,
      [meetingIds],
    )
    const changed = rows.flatMap(({ effect }) =>
      effect.kind === 'change-deadline' || effect.kind === 'change-responsibility'
        ? [taskKey(effect.planId, effect.taskId)]
        : [],
    )
    const named =
      changed.length === 0
        ? []
        : await db.query<TaskRow>(
            `select ${taskColumns()} from ${t.task} where (plan_id || chr(31) || task_id) = any($1)`,
            [changed],
          )
    return keys.map((key) => {
      const [meetingId, today] = split(key)
      return rows
        .filter((row) => row.meeting_id === meetingId)
        .map((row) => resolutionView(row, concerned(row, produced, named), today))
    })
  })
}

function concerned(row: ResolutionRow, produced: TaskRow[], named: TaskRow[]): TaskRow[] {
  const effect = row.effect
  if (effect.kind === 'assign-work') {
    return produced.filter(
      (task) => task.basis_meeting_id === row.meeting_id && task.basis_resolution_id === row.resolution_id,
    )
  }
  if (effect.kind === 'change-deadline' || effect.kind === 'change-responsibility') {
    return named.filter((task) => task.plan_id === effect.planId && task.task_id === effect.taskId)
  }
  return []
}

function resolutionView(row: ResolutionRow, rows: TaskRow[], today: string): ResolutionView {
  // Meeting pages never carry the restricted texts, as the read model's own meeting query.
  const tasks: PublicTaskView[] = rows.map((task) => {
    const { restricted: _restricted, ...view } = taskView(task, today)
    return view
  })
  const progress = tasks.map((task) => ({
    status: task.status,
    deadline: task.deadline,
    closed: task.status === 'closed',
  }))
  return {
    resolutionId: row.resolution_id,
    version: row.version,
    text: row.text,
    effect: row.effect as ResolutionView['effect'],
    reason: row.reason,
    supersededCount: row.superseded.length,
    superseded: row.superseded,
    adoptedAt: row.adopted_at,
    correctedAt: row.corrected_at,
    tasks,
    implementationStatus: implementationStatus(row.effect, progress, today),
  }
}

async function tasks(
  live: LiveTables,
  keys: readonly string[],
  today: string,
): Promise<(PublicTaskView | null)[]> {
  const rows = await live.read((db, t) =>
    db.query<TaskRow>(
      `select ${taskColumns()} from ${t.task} where (plan_id || chr(31) || task_id) = any($1)`,
      [keys],
    ),
  )
  const byKey = new Map(rows.map((row) => [taskKey(row.plan_id, row.task_id), row]))
  return keys.map((key) => {
    const row = byKey.get(key)
    return row ? taskView(row, today) : null
  })
}
