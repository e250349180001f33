import type { SqlClient } from '../db.ts'
import type { TableNames } from '../schema.ts'

interface NameVersion {
  nameZh: string
  nameEn: string
  shortName: string
  from: string
  reason: string | null
  reorganisationId: string | null
}

interface BureauRow {
  bureau_id: string
  kind: string
  parent_id: string | null
  registered_on: string
  names: NameVersion[]
  dissolved_on: string | null
  successor_ids: string[]
  dissolved_by: string | null
}

interface DutyRow {
  list_kind: 'power' | 'responsibility'
  duty_id: string
  effective_from: string
  effective_to: string | null
  title: string
  category: string
  legal_basis: string
  change: string
  counterpart: string | null
  reorganisation_id: string | null
  reason: string
  ended_by: string | null
  ended_to: string | null
  ended_reason: string | null
}

interface ReorganisationRow {
  reorganisation_id: string
  type: string
  from_bureau_ids: string[]
  into_bureau_ids: string[]
  effective_date: string
  reason: string
  status: string
  steps: number | null
  refused: unknown
  decided_at: string
  completed_at: string | null
}

/**
 * A bureau's power and responsibility lists as in force on `asOf`, every effective-dated version
 * (past and scheduled), the bureau as it was named then, and the reorganisations it took part in.
 * Null when the registry and the lists know nothing of the bureau.
 */
export async function responsibilities(db: SqlClient, t: TableNames, bureauId: string, asOf: string) {
  const [bureau] = await db.query<BureauRow>(`select * from ${t.bureau} where bureau_id = $1`, [bureauId])
  const rows = await db.query<DutyRow>(
    `select * from ${t.duty} where bureau_id = $1 order by effective_from, position, ord`,
    [bureauId],
  )
  if (!bureau && rows.length === 0) return null
  const inForce = rows.filter(
    (row) => row.effective_from <= asOf && (row.effective_to === null || asOf < row.effective_to),
  )
  const reorganisations = await db.query<ReorganisationRow>(
    `select * from ${t.reorganisation}
     where from_bureau_ids @> to_jsonb($1::text) or into_bureau_ids @> to_jsonb($1::text)
     order by effective_date, position`,
    [bureauId],
  )
  return {
    bureauId,
    asOf,
    bureau: bureau ? bureauOn(bureau, asOf) : null,
    duties: {
      power: inForce.filter((row) => row.list_kind === 'power').map(dutyView),
      responsibility: inForce.filter((row) => row.list_kind === 'responsibility').map(dutyView),
    },
    /** Versions that take effect after `asOf`: changes already decided. */
    scheduled: rows.filter((row) => row.effective_from > asOf).map(dutyView),
    history: rows.map(dutyView),
    reorganisations: reorganisations.map((row) => ({
      reorganisationId: row.reorganisation_id,
      type: row.type,
      fromBureauIds: row.from_bureau_ids,
      intoBureauIds: row.into_bureau_ids,
      effectiveDate: row.effective_date,
      reason: row.reason,
      status: row.status,
      steps: row.steps,
      refused: row.refused,
      decidedAt: row.decided_at,
      completedAt: row.completed_at,
    })),
  }
}

function bureauOn(row: BureauRow, day: string) {
  const name = row.names.findLast((version) => version.from <= day) ?? null
  const status =
    day < row.registered_on
      ? 'not_registered'
      : row.dissolved_on !== null && day >= row.dissolved_on
        ? 'dissolved'
        : 'active'
  return {
    bureauId: row.bureau_id,
    kind: row.kind,
    parentId: row.parent_id,
    registeredOn: row.registered_on,
    /** The name the bureau bore on the day asked about. */
    name: name && { nameZh: name.nameZh, nameEn: name.nameEn, shortName: name.shortName },
    names: row.names,
    status,
    dissolvedOn: row.dissolved_on,
    dissolvedBy: row.dissolved_by,
    successorIds: row.successor_ids,
  }
}

function dutyView(row: DutyRow) {
  return {
    listKind: row.list_kind,
    dutyId: row.duty_id,
    title: row.title,
    category: row.category,
    legalBasis: row.legal_basis,
    effectiveFrom: row.effective_from,
    effectiveTo: row.effective_to,
    change: row.change,
    counterpart: row.counterpart,
    reorganisationId: row.reorganisation_id,
    reason: row.reason,
    ended: row.ended_by === null ? null : { by: row.ended_by, to: row.ended_to, reason: row.ended_reason },
  }
}
