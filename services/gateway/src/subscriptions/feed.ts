import type { RecordedEvent } from '@coord/eventstore'
import type { ReadDb } from '@coord/projector'
import { concerns } from '../access/enforce.ts'
import { LiveTables } from '../loaders/tables.ts'
import type { ProjectionSource } from './source.ts'

/** What a `taskEvents` subscriber receives (see `TaskEvent` in the schema). */
export interface TaskEventPayload {
  position: number
  eventId: string
  type: string
  streamId: string
  planId: string | null
  taskId: string | null
  revision: number
  occurredAt: string
  recordedAt: string
  actor: RecordedEvent['metadata']['actor']
  bureauIds: string[]
  summary: string
  data: unknown
  /** The bureaus that may read `data`. */
  [concerns]: string[]
}

/** The pubsub topic of one bureau's task events (the id encoded: one topic names one bureau). */
export function taskEventsTopic(bureauId: string): string {
  return `taskEvents/${encodeURIComponent(bureauId)}`
}

export interface Publisher {
  /** Open subscriptions: with none, a batch is not looked up at all. */
  readonly subscriptions: number
  publish(event: { topic: string; payload: unknown }, callback: () => void): void
}

interface Logger {
  error(details: object, message: string): void
}

/**
 * Pushes every task event to the bureaus it concerns as soon as the read models include it: it
 * listens to the projection source's applied batches (no polling in the single process), looks up
 * the batch's timeline rows (one statement per batch: the bureaus and the one-line summary) and
 * publishes one message per bureau. Batches are published in order, one after the other; a batch
 * applied while nobody subscribes is not looked up.
 */
export class TaskEventFeed {
  private chain: Promise<void> = Promise.resolve()
  private readonly live: LiveTables
  private stopListening: (() => void) | null = null

  constructor(
    private readonly options: {
      source: ProjectionSource
      db: ReadDb
      pubsub: Publisher
      logger: Logger
    },
  ) {
    this.live = new LiveTables(options.db)
  }

  start(): void {
    this.stopListening ??= this.options.source.onApplied((events) => {
      if (this.options.pubsub.subscriptions === 0) return
      const tasks = events.filter((event) => event.streamId.startsWith('task-'))
      if (tasks.length === 0) return
      this.chain = this.chain
        .then(() => this.publish(tasks))
        .catch((err: unknown) => this.options.logger.error({ err }, 'task events could not be pushed'))
    })
  }

  /** Stops listening and resolves once what was already heard is published. */
  async stop(): Promise<void> {
    this.stopListening?.()
    this.stopListening = null
    await this.chain
  }

  private async publish(events: readonly RecordedEvent[]): Promise<void> {
    const rows = await this.live.read((db, t) =>
      db.query<{
        position: string | number
        bureau_ids: string[]
        plan_id: string | null
        task_id: string | null
        summary: string
      }>(
        `select position, bureau_ids, plan_id, task_id, summary from ${t.activity} where position = any($1)`,
        [events.map((event) => event.position)],
      ),
    )
    const byPosition = new Map(rows.map((row) => [Number(row.position), row]))
    for (const event of events) {
      const row = byPosition.get(event.position)
      if (!row) continue
      const payload: TaskEventPayload = {
        position: event.position,
        eventId: event.id,
        type: event.type,
        streamId: event.streamId,
        planId: row.plan_id,
        taskId: row.task_id,
        revision: event.revision,
        occurredAt: event.metadata.occurredAt,
        recordedAt: event.metadata.recordedAt,
        actor: event.metadata.actor,
        bureauIds: row.bureau_ids,
        summary: row.summary,
        data: event.data,
        [concerns]: row.bureau_ids,
      }
      for (const bureauId of row.bureau_ids) {
        await new Promise<void>((resolve) =>
          this.options.pubsub.publish(
            { topic: taskEventsTopic(bureauId), payload: { taskEvents: payload } },
            resolve,
          ),
        )
      }
    }
  }
}
