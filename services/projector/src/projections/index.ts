import type { RecordedEvent } from '@coord/eventstore'
import type { SqlClient } from '../db.ts'
import type { Tables } from '../schema.ts'
import { projectMeeting } from './meeting.ts'
import { projectPlan } from './plan.ts'
import { projectResponsibility } from './responsibility.ts'
import { summarize, type KnownEvent } from './summary.ts'
import { projectTask } from './task.ts'
import { type Concern, type Projection } from './types.ts'
import type { StoredActivityRow, ModelWrites } from './writes.ts'

/** The models, each of which claims the events of its own streams. */
const projections: readonly Projection[] = [projectTask, projectPlan, projectMeeting, projectResponsibility]

/**
 * Applies one event to every model, then files it on the activity timeline. Events no model knows
 * (another service's, or a type added later) change nothing; the checkpoint passes them all the same.
 * Task and timeline rows go to `writes`, which the caller flushes.
 */
export async function applyEvent(
  tx: SqlClient,
  t: Tables,
  event: RecordedEvent,
  writes: ModelWrites,
): Promise<void> {
  for (const project of projections) {
    const concern = await project(tx, t, event, writes)
    if (concern) {
      writes.recordActivity(activityRow(event, concern))
      return
    }
  }
}

function activityRow(event: RecordedEvent, concern: Concern): StoredActivityRow {
  const { actor, occurredAt, recordedAt } = event.metadata
  return {
    position: event.position,
    stream_id: event.streamId,
    type: event.type,
    occurred_at: occurredAt,
    recorded_at: recordedAt,
    actor: { role: actor.role, bureauId: actor.bureauId ?? null, user: actor.user },
    plan_id: concern.planId ?? null,
    task_id: concern.taskId ?? null,
    task_stream_id: concern.taskStreamId ?? null,
    meeting_id: concern.meetingId ?? null,
    bureau_ids: concern.bureauIds,
    summary: summarize({ type: event.type, data: event.data } as KnownEvent, concern),
  }
}
