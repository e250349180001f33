import { unreachable } from '@coord/domain'
import type { DutyContent, DutyListEvent, ListKind } from '@coord/events/responsibility'
import type { RecordedEvent } from '@coord/eventstore'
import type { SqlClient } from '../db.ts'
import type { Tables } from '../schema.ts'
import { ids, json, type Concern } from './types.ts'

// A duty list (权力清单 / 责任清单) as effective-dated rows: each version holds from
// `effective_from` up to the day before `effective_to` (null: open-ended). A new version of a duty
// ends its open row on the day the new one begins.

interface DutyVersion {
  bureauId: string
  listKind: ListKind
  dutyId: string
  from: string
  content: DutyContent
  change: 'published' | 'added' | 'amended' | 'received'
  counterpart: string | null
  reorganisationId: string | null
  reason: string
}

interface DutyEnd {
  by: 'published' | 'dropped' | 'amended' | 'revoked' | 'transferred' | 'received'
  on: string
  to: string | null
  reason: string
}

export async function projectDuties(
  tx: SqlClient,
  t: Tables,
  event: RecordedEvent,
  bureauId: string,
  listKind: ListKind,
  typed: DutyListEvent,
): Promise<Concern> {
  const base = { bureauId, listKind, counterpart: null, reorganisationId: null }
  switch (typed.type) {
    case 'ResponsibilityListPublished': {
      const { effectiveDate: from, reason, duties } = typed.data
      const listed = duties.map((duty) => duty.dutyId)
      // A complete list: the duties it omits leave the list on its effective date.
      await endDuties(tx, t, { bureauId, listKind }, { by: 'dropped', on: from, to: null, reason }, listed)
      for (const [ord, { dutyId, ...content }] of duties.entries()) {
        const version = { ...base, dutyId, from, content, change: 'published' as const, reason }
        await addVersion(tx, t, event, version, 'published', ord)
      }
      return { bureauIds: [bureauId] }
    }
    case 'DutyAdded':
    case 'DutyAmended': {
      const { dutyId, title, category, legalBasis, effectiveDate: from, reason } = typed.data
      const change = typed.type === 'DutyAdded' ? 'added' : 'amended'
      const version = {
        ...base,
        dutyId,
        from,
        content: { title, category, legalBasis },
        change,
        reason,
      } as const
      await addVersion(tx, t, event, version, 'amended')
      return { bureauIds: [bureauId] }
    }
    case 'DutyRevoked': {
      const { dutyId, effectiveDate: on, reason } = typed.data
      await endDuty(tx, t, { bureauId, listKind, dutyId }, { by: 'revoked', on, to: null, reason })
      return { bureauIds: [bureauId] }
    }
    case 'DutyTransferred': {
      const { dutyId, toBureauId, effectiveDate: on, reason } = typed.data
      await endDuty(tx, t, { bureauId, listKind, dutyId }, { by: 'transferred', on, to: toBureauId, reason })
      return { bureauIds: ids([bureauId, typed.data.fromBureauId, toBureauId]) }
    }
    case 'DutyReceived': {
      const { dutyId, duty, fromBureauId, toBureauId, effectiveDate: from, reason } = typed.data
      const version = {
        bureauId: toBureauId,
        listKind: typed.data.listKind,
        dutyId,
        from,
        content: duty,
        change: 'received' as const,
        counterpart: fromBureauId,
        reorganisationId: typed.data.reorganisationId ?? null,
        reason,
      }
      await addVersion(tx, t, event, version, 'received')
      return { bureauIds: ids([toBureauId, fromBureauId]) }
    }
    default:
      return unreachable(typed)
  }
}

/** Ends the duty's open version (if any) where the new one begins, then records the new one. */
async function addVersion(
  tx: SqlClient,
  t: Tables,
  event: RecordedEvent,
  v: DutyVersion,
  endedBy: DutyEnd['by'],
  ord = 0,
): Promise<void> {
  await endDuty(tx, t, v, { by: endedBy, on: v.from, to: null, reason: v.reason })
  await tx.query(
    `insert into ${t.duty} (bureau_id, list_kind, duty_id, position, ord, effective_from, effective_to, title,
       category, legal_basis, change, counterpart, reorganisation_id, reason, ended_by, ended_to, ended_reason)
     values ($1, $2, $3, $4, $13, $5, null, $6, $7, $8, $9, $10, $11, $12, null, null, null)
     on conflict do nothing`,
    [
      v.bureauId,
      v.listKind,
      v.dutyId,
      event.position,
      v.from,
      v.content.title,
      v.content.category,
      v.content.legalBasis,
      v.change,
      v.counterpart,
      v.reorganisationId,
      v.reason,
      ord,
    ],
  )
}

async function endDuty(
  tx: SqlClient,
  t: Tables,
  key: { bureauId: string; listKind: ListKind; dutyId: string },
  end: DutyEnd,
): Promise<void> {
  await tx.query(
    `update ${t.duty} set effective_to = $4, ended_by = $5, ended_to = $6, ended_reason = $7
     where bureau_id = $1 and list_kind = $2 and duty_id = $3 and effective_to is null`,
    [key.bureauId, key.listKind, key.dutyId, end.on, end.by, end.to, end.reason],
  )
}

/** Ends every open duty of the list except those listed. */
async function endDuties(
  tx: SqlClient,
  t: Tables,
  list: { bureauId: string; listKind: ListKind },
  end: DutyEnd,
  except: string[],
): Promise<void> {
  await tx.query(
    `update ${t.duty} set effective_to = $3, ended_by = $4, ended_to = null, ended_reason = $5
     where bureau_id = $1 and list_kind = $2 and effective_to is null
       and not ($6::jsonb @> to_jsonb(duty_id))`,
    [list.bureauId, list.listKind, end.on, end.by, end.reason, json(except)],
  )
}
