import type { Command, CommandActor, Decider, DomainEvent } from '@coord/domain'
import {
  parseMeetingStreamId,
  type ResolutionAdopted,
  type ResolutionCorrected,
} from '@coord/events/meetings'
import type { EventStore, RecordedEvent, Subscription } from '@coord/eventstore'
import { executeCommand } from '@coord/service-kit'
import { resolutionCommands, type ResolutionCommandDescription } from './commands.ts'

/** The deciders the commands of resolutions go to, chosen by stream (task-…, duties-…). */
export type DeciderFor = (streamId: string) => Decider<Command, DomainEvent, unknown> | null

export interface ResolutionProcessManagerOptions {
  store: EventStore
  deciderFor: DeciderFor
  /** The checkpoint's name in the event store. */
  name?: string
  clock?: () => Date
  logger?: { info(details: object, message: string): void; warn(details: object, message: string): void }
}

const actor: CommandActor = { role: 'system', user: 'resolution-process-manager' }

/**
 * Turns adopted and corrected resolutions into the commands they imply (publish, assign, set or
 * change a deadline, transfer a duty), exactly once: each command carries an idempotency key made
 * of the resolution event's id and the step, so redelivery after a restart (the checkpoint is saved
 * after the commands) records nothing new, and the deciders refuse repeats as well. Every event it
 * causes names the resolution event as its cause and keeps the resolution's correlation id.
 */
export class ResolutionProcessManager {
  private subscription: Subscription | null = null
  private readonly name: string

  constructor(private readonly options: ResolutionProcessManagerOptions) {
    this.name = options.name ?? 'resolution-process-manager'
  }

  async start(): Promise<void> {
    const from = (await this.options.store.checkpoint(this.name)) + 1
    this.subscription = this.options.store.subscribeToAll(
      { fromPosition: from, filter: { typePrefix: 'Resolution' } },
      async (event) => {
        await this.handle(event)
      },
    )
  }

  /** Resolves when stopped; rejects if a command failed for a reason other than a retry. */
  get done(): Promise<void> {
    return this.subscription?.done ?? Promise.resolve()
  }

  async stop(): Promise<void> {
    await this.subscription?.stop()
  }

  /** Applies one resolution event (public for tests that redeliver by hand). */
  async handle(event: RecordedEvent): Promise<number> {
    if (event.type !== 'ResolutionAdopted' && event.type !== 'ResolutionCorrected') return 0
    const meetingId = parseMeetingStreamId(event.streamId)
    if (!meetingId) return 0
    const resolution = { type: event.type, data: event.data } as unknown as
      ResolutionAdopted | ResolutionCorrected
    const steps = resolutionCommands(resolution, meetingId)
    let recorded = 0
    for (const [index, step] of steps.entries()) recorded += await this.apply(event, step, index)
    await this.options.store.saveCheckpoint(this.name, event.position)
    if (steps.length > 0)
      this.options.logger?.info({ resolution: event.id, steps: steps.length }, 'resolution applied')
    return recorded
  }

  private async apply(
    cause: RecordedEvent,
    step: ResolutionCommandDescription,
    index: number,
  ): Promise<number> {
    const decider = this.options.deciderFor(step.streamId)
    if (!decider) {
      // Said loudly, not skipped silently: the platform carries out no such step by itself yet
      // (a duty transfer is done by the plan office through the responsibility API).
      this.options.logger?.warn(
        { resolution: cause.id, command: step.command.type, streamId: step.streamId },
        'resolution step not carried out automatically; it needs the plan office',
      )
      return 0
    }
    const key = `resolution:${cause.id}:${index}`
    const now = (this.options.clock?.() ?? new Date()).toISOString()
    const result = await executeCommand({
      store: this.options.store,
      streamId: step.streamId,
      decider,
      command: { ...step.command, metadata: { actor, now } },
      idempotency: { key, fingerprint: key },
      buildMetadata: () => ({
        actor,
        correlationId: cause.metadata.correlationId,
        causationId: cause.id,
        occurredAt: cause.metadata.occurredAt,
      }),
    })
    return result.replayed ? 0 : result.events.length
  }
}
