import { isTaskEventType, parsePlanningStreamId, type TaskEvent } from '@coord/events'
import type { RecordedEvent } from '@coord/eventstore'
import type { Task } from '@coord/planning/domain'
import type { SqlClient } from '../db.ts'
import type { Tables } from '../schema.ts'
import { nextTaskRow } from './task-row.ts'
import { ids, type Concern } from './types.ts'
import type { ModelWrites } from './writes.ts'

/**
 * The task model: each event of a task stream folded into the task's row (task-row.ts), written
 * with the rest of its run of events (writes.ts).
 */
export async function projectTask(
  tx: SqlClient,
  _t: Tables,
  event: RecordedEvent,
  writes: ModelWrites,
): Promise<Concern | null> {
  const stream = parsePlanningStreamId(event.streamId)
  if (stream?.kind !== 'task' || !isTaskEventType(event.type)) return null
  const typed = { type: event.type, data: event.data } as TaskEvent
  const { before, after, row, reassigned } = nextTaskRow(await writes.task(tx, event.streamId), event, typed)
  if (row) writes.writeTask(row, event.metadata.recordedAt, reassigned)
  return {
    bureauIds: ids(bureausOf(before), bureausOf(after), [actingBureau(typed)]),
    planId: stream.planId,
    taskId: stream.taskId,
    taskStreamId: event.streamId,
  }
}

/** The task streams among these events, for `ModelWrites.preload`. */
export function taskStreamsOf(events: readonly RecordedEvent[]): string[] {
  return events
    .filter((event) => parsePlanningStreamId(event.streamId)?.kind === 'task')
    .map((event) => event.streamId)
}

function bureausOf(task: Task): string[] {
  return task.status === 'none' ? [] : [...task.leads, ...task.partners]
}

function actingBureau(event: TaskEvent): string | undefined {
  const data = event.data as { bureauId?: unknown }
  return typeof data.bureauId === 'string' ? data.bureauId : undefined
}
