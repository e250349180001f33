import {
  isResponsibilityEventType,
  parseResponsibilityStreamId,
  type BureauEvent,
  type DutyListEvent,
  type ReorganisationEvent,
  type ResponsibilityEvent,
} from '@coord/events/responsibility'
import { unreachable } from '@coord/domain'
import type { RecordedEvent } from '@coord/eventstore'
import type { SqlClient } from '../db.ts'
import type { Tables } from '../schema.ts'
import { projectDuties } from './duties.ts'
import { ids, json, type Concern } from './types.ts'

/**
 * The registry, the duty lists and the reorganisations. A duty's rows are effective-dated: each
 * version holds from `effective_from` up to the day before `effective_to` (null: open-ended), so
 * "who held what on day D" is a range lookup, whatever order the changes were recorded in.
 */
export async function projectResponsibility(
  tx: SqlClient,
  t: Tables,
  event: RecordedEvent,
): Promise<Concern | null> {
  const stream = parseResponsibilityStreamId(event.streamId)
  if (stream === undefined || !isResponsibilityEventType(event.type)) return null
  const typed = { type: event.type, data: event.data } as ResponsibilityEvent
  if (stream.kind === 'bureau') return projectBureau(tx, t, event, stream.bureauId, typed as BureauEvent)
  if (stream.kind === 'duties') {
    return projectDuties(tx, t, event, stream.bureauId, stream.listKind, typed as DutyListEvent)
  }
  return projectReorganisation(tx, t, event, stream.reorganisationId, typed as ReorganisationEvent)
}

async function projectBureau(
  tx: SqlClient,
  t: Tables,
  event: RecordedEvent,
  bureauId: string,
  typed: BureauEvent,
): Promise<Concern> {
  const { position } = event
  switch (typed.type) {
    case 'BureauRegistered': {
      const { kind, parentId, effectiveDate, nameZh, nameEn, shortName } = typed.data
      const names = [{ nameZh, nameEn, shortName, from: effectiveDate, reason: null, reorganisationId: null }]
      await tx.query(
        `insert into ${t.bureau} (bureau_id, kind, parent_id, registered_on, name_zh, name_en, short_name,
           names, status, dissolved_on, successor_ids, dissolved_by, position)
         values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, 'active', null, '[]', null, $9)
         on conflict (bureau_id) do nothing`,
        [bureauId, kind, parentId, effectiveDate, nameZh, nameEn, shortName, json(names), position],
      )
      return { bureauIds: ids([bureauId, parentId]) }
    }
    case 'BureauRenamed': {
      const { nameZh, nameEn, shortName, effectiveDate, reason, reorganisationId } = typed.data
      const version = {
        nameZh,
        nameEn,
        shortName,
        from: effectiveDate,
        reason,
        reorganisationId: reorganisationId ?? null,
      }
      await tx.query(
        `update ${t.bureau} set names = names || $2::jsonb, name_zh = $3, name_en = $4, short_name = $5,
           position = $6 where bureau_id = $1`,
        [bureauId, json([version]), nameZh, nameEn, shortName, position],
      )
      return { bureauIds: [bureauId] }
    }
    case 'BureauDissolved': {
      const { effectiveDate, reorganisationId, successorIds } = typed.data
      await tx.query(
        `update ${t.bureau} set status = 'dissolved', dissolved_on = $2, successor_ids = $3::jsonb,
           dissolved_by = $4, position = $5 where bureau_id = $1`,
        [bureauId, effectiveDate, json(successorIds), reorganisationId, position],
      )
      return { bureauIds: ids([bureauId], successorIds) }
    }
    default:
      return unreachable(typed)
  }
}

async function projectReorganisation(
  tx: SqlClient,
  t: Tables,
  event: RecordedEvent,
  reorganisationId: string,
  typed: ReorganisationEvent,
): Promise<Concern> {
  const at = event.metadata.occurredAt
  if (typed.type === 'ReorganisationCompleted') {
    const { steps, refused } = typed.data
    const [row] = await tx.query<{ from_bureau_ids: string[]; into_bureau_ids: string[] }>(
      `update ${t.reorganisation} set status = 'completed', steps = $2, refused = $3::jsonb, completed_at = $4,
         position = $5 where reorganisation_id = $1 returning from_bureau_ids, into_bureau_ids`,
      [reorganisationId, steps, json(refused), at, event.position],
    )
    return { bureauIds: row ? ids(row.from_bureau_ids, row.into_bureau_ids) : [] }
  }
  const [from, into] =
    typed.type === 'BureausMerged'
      ? [typed.data.fromBureauIds, [typed.data.intoBureauId]]
      : typed.type === 'BureauSplit'
        ? [[typed.data.fromBureauId], typed.data.intoBureauIds]
        : [[typed.data.bureauId], [typed.data.bureauId]]
  await tx.query(
    `insert into ${t.reorganisation} (reorganisation_id, type, from_bureau_ids, into_bureau_ids,
       effective_date, reason, decision, status, steps, refused, decided_at, completed_at, position)
     values ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7::jsonb, 'decided', null, null, $8, null, $9)
     on conflict (reorganisation_id) do nothing`,
    [
      reorganisationId,
      typed.type,
      json(from),
      json(into),
      typed.data.effectiveDate,
      typed.data.reason,
      json(typed.data),
      at,
      event.position,
    ],
  )
  return { bureauIds: ids(from, into) }
}
