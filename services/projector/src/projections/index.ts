import type { RecordedEvent } from '@coord/eventstore'
import type { SqlClient } from '../db.ts'
import type { Tables } from '../schema.ts'
import { projectMeeting } from './meeting.ts'
import { projectPlan } from './plan.ts'
import { projectResponsibility } from './responsibility.ts'
import { summarize, type KnownEvent } from './summary.ts'
import { projectTask } from './task.ts'
import { json, type Concern, type Projection } from './types.ts'

/** The models, each of which claims the events of its own streams. */
const projections: readonly Projection[] = [projectTask, projectPlan, projectMeeting, projectResponsibility]

/**
 * Applies one event to every model, then files it on the activity timeline. Events no model knows
 * (another service's, or a type added later) change nothing; the checkpoint passes them all the same.
 */
export async function applyEvent(tx: SqlClient, t: Tables, event: RecordedEvent): Promise<void> {
  for (const project of projections) {
    const concern = await project(tx, t, event)
    if (concern) {
      await recordActivity(tx, t, event, concern)
      return
    }
  }
}

async function recordActivity(tx: SqlClient, t: Tables, event: RecordedEvent, concern: Concern) {
  const { actor, occurredAt, recordedAt } = event.metadata
  const summary = summarize({ type: event.type, data: event.data } as KnownEvent, concern)
  // One statement (one round trip) for the timeline row and the bureaus it is filed under.
  await tx.query(
    `with entry as (
       insert into ${t.activity} (position, stream_id, type, occurred_at, recorded_at, actor, plan_id, task_id,
         task_stream_id, meeting_id, bureau_ids, summary)
       values ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11::jsonb, $12)
       on conflict (position) do nothing)
     insert into ${t.activity_bureau} (bureau_id, position)
     select bureau_id, $1::bigint from unnest($13::text[]) as bureau_id
     on conflict do nothing`,
    [
      event.position,
      event.streamId,
      event.type,
      occurredAt,
      recordedAt,
      json({ role: actor.role, bureauId: actor.bureauId ?? null, user: actor.user }),
      concern.planId ?? null,
      concern.taskId ?? null,
      concern.taskStreamId ?? null,
      concern.meetingId ?? null,
      json(concern.bureauIds),
      summary,
      [...concern.bureauIds],
    ],
  )
}
