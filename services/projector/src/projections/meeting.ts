import { isMeetingEventType, parseMeetingStreamId, type MeetingEvent } from '@coord/events/meetings'
import type { ResolutionEffect } from '@coord/events/meetings'
import type { RecordedEvent } from '@coord/eventstore'
import { meetingDecider, type ExistingMeeting, type JointMeeting } from '@coord/meetings/domain'
import { taskStreamId } from '@coord/events'
import type { SqlClient } from '../db.ts'
import type { Tables } from '../schema.ts'
import { ids, json, type Concern } from './types.ts'

/**
 * The joint-meeting model folds each meeting stream with the meetings service's `evolve` and keeps
 * the session, its attendance (one row per bureau) and its resolutions (the current version, the
 * superseded ones kept in order).
 */
export async function projectMeeting(
  tx: SqlClient,
  t: Tables,
  event: RecordedEvent,
): Promise<Concern | null> {
  const meetingId = parseMeetingStreamId(event.streamId)
  if (meetingId === undefined || !isMeetingEventType(event.type)) return null
  const [row] = await tx.query<{ state: ExistingMeeting; closed_at: string | null }>(
    `select state, closed_at from ${t.meeting} where meeting_id = $1`,
    [meetingId],
  )
  const typed = { type: event.type, data: event.data } as MeetingEvent
  const before: JointMeeting = row?.state ?? meetingDecider.initialState
  const after = meetingDecider.evolve(before, typed)
  const concern = concernOf(typed, meetingId)
  if (after.status === 'none') return concern
  const at = event.metadata.occurredAt
  const closedAt = typed.type === 'JointMeetingClosed' ? at : (row?.closed_at ?? null)
  await writeMeeting(tx, t, event, after, closedAt)
  if (typed.type === 'JointMeetingScheduled') {
    // A meeting scheduled again starts over, as in the domain.
    await tx.query(`delete from ${t.attendance} where meeting_id = $1`, [meetingId])
    await tx.query(`delete from ${t.resolution} where meeting_id = $1`, [meetingId])
  } else if (typed.type === 'AttendanceRecorded') {
    await writeAttendance(
      tx,
      t,
      after,
      typed.data.entries.map((entry) => entry.bureauId),
      at,
    )
  } else if (typed.type === 'ResolutionAdopted' || typed.type === 'ResolutionCorrected') {
    await writeResolution(tx, t, event, after, typed.data.resolutionId, typed.type === 'ResolutionCorrected')
  }
  return concern
}

function concernOf(event: MeetingEvent, meetingId: string): Concern {
  const concern: Concern = { bureauIds: [], meetingId }
  if (event.type === 'AttendanceRecorded') concern.bureauIds = ids(event.data.entries.map((e) => e.bureauId))
  if (event.type === 'ResolutionAdopted' || event.type === 'ResolutionCorrected') {
    const effect = event.data.effect
    concern.bureauIds = effectBureaus(effect)
    if ('taskId' in effect) {
      concern.planId = effect.planId
      concern.taskId = effect.taskId
      concern.taskStreamId = taskStreamId(effect.planId, effect.taskId)
    }
  }
  return concern
}

export function effectBureaus(effect: ResolutionEffect): string[] {
  switch (effect.kind) {
    case 'assign-work':
    case 'change-responsibility':
      return ids(effect.leads, effect.partners)
    case 'transfer-duty':
      return ids([effect.fromBureauId, effect.toBureauId])
    default:
      return []
  }
}

async function writeMeeting(
  tx: SqlClient,
  t: Tables,
  event: RecordedEvent,
  meeting: ExistingMeeting,
  closedAt: string | null,
): Promise<void> {
  await tx.query(
    `insert into ${t.meeting} (meeting_id, stream_id, session, date, convener, agenda, status,
       minutes_number, minutes_issued_on, closed_at, position, state)
     values ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12::jsonb)
     on conflict (meeting_id) do update set session = excluded.session, date = excluded.date,
       convener = excluded.convener, agenda = excluded.agenda, status = excluded.status,
       minutes_number = excluded.minutes_number, minutes_issued_on = excluded.minutes_issued_on,
       closed_at = excluded.closed_at, position = excluded.position, state = excluded.state`,
    [
      meeting.meetingId,
      event.streamId,
      meeting.session,
      meeting.date,
      meeting.convener,
      json(meeting.agenda),
      meeting.status,
      meeting.minutes?.minutesNumber ?? null,
      meeting.minutes?.issuedOn ?? null,
      closedAt,
      event.position,
      json(meeting),
    ],
  )
}

/** Rewrites the meeting's attendance in the domain's order; the bureaus named now get this time. */
async function writeAttendance(
  tx: SqlClient,
  t: Tables,
  meeting: ExistingMeeting,
  named: string[],
  at: string,
): Promise<void> {
  for (const [ord, entry] of meeting.attendance.entries()) {
    const recordedAt = named.includes(entry.bureauId) ? at : null
    await tx.query(
      `insert into ${t.attendance} (meeting_id, bureau_id, ord, status, delegate, recorded_at)
       values ($1, $2, $3, $4, $5, coalesce($6, ''))
       on conflict (meeting_id, bureau_id) do update set ord = excluded.ord, status = excluded.status,
         delegate = excluded.delegate,
         recorded_at = coalesce($6, ${t.attendance}.recorded_at)`,
      [meeting.meetingId, entry.bureauId, ord, entry.status, entry.delegate ?? null, recordedAt],
    )
  }
}

async function writeResolution(
  tx: SqlClient,
  t: Tables,
  event: RecordedEvent,
  meeting: ExistingMeeting,
  resolutionId: string,
  corrected: boolean,
): Promise<void> {
  const ord = meeting.resolutions.findIndex((r) => r.resolutionId === resolutionId)
  const resolution = meeting.resolutions[ord]
  if (!resolution) return
  const at = event.metadata.occurredAt
  await tx.query(
    `insert into ${t.resolution} (meeting_id, resolution_id, ord, version, text, effect_kind, effect, reason,
       superseded, adopted_at, corrected_at, position)
     values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9::jsonb, $10, $11, $12)
     on conflict (meeting_id, resolution_id) do update set ord = excluded.ord, version = excluded.version,
       text = excluded.text, effect_kind = excluded.effect_kind, effect = excluded.effect,
       reason = excluded.reason, superseded = excluded.superseded, corrected_at = excluded.corrected_at,
       position = excluded.position`,
    [
      meeting.meetingId,
      resolutionId,
      ord,
      resolution.version,
      resolution.text,
      resolution.effect.kind,
      json(resolution.effect),
      resolution.reason,
      json(resolution.superseded),
      at,
      corrected ? at : null,
      event.position,
    ],
  )
}
