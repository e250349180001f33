import {
  DomainError,
  type Command,
  type CommandActor,
  type CommandMetadata,
  type Decider,
  type DomainEvent,
} from '@coord/domain'
import {
  parseMeetingStreamId,
  type ResolutionAdopted,
  type ResolutionCorrected,
} from '@coord/events/meetings'
import {
  EventStoreError,
  WrongExpectedRevision,
  type EventMetadata,
  type EventStore,
  type EventStoreErrorCode,
  type RecordedEvent,
} from '@coord/eventstore'
import { executeCommand, ResumingSubscription } from '@coord/service-kit'
import {
  resolutionCommands,
  type DutyCommandDescription,
  type ResolutionCommandDescription,
} from './commands.ts'

/** The deciders the commands of resolutions go to, chosen by stream (task-…, duties-…). */
export type DeciderFor = (streamId: string) => Decider<Command, DomainEvent, unknown> | null

/** How one step is sent: by whom and when, caused by what, under which idempotency key. */
export interface StepContext {
  metadata: CommandMetadata
  buildMetadata: (event: DomainEvent) => EventMetadata
  /** Unique per resolution event and step; a runner derives further keys from it for later parts. */
  idempotencyKey: string
}

/**
 * Carries out a duty transfer (the responsibility service's two-list step) and answers how many
 * events it recorded now (0 when it had all been recorded before).
 */
export type DutyTransferRunner = (step: DutyCommandDescription, context: StepContext) => Promise<number>

export interface ResolutionProcessManagerOptions {
  store: EventStore
  deciderFor: DeciderFor
  /** Runs transfer-duty steps; without it they are logged for the plan office to do by hand. */
  transferDuty?: DutyTransferRunner
  /** Attempts at a step that lost a race with another writer on its stream; default 5. */
  conflictAttempts?: number
  /** After a failure that may pass, the pause before resuming from the checkpoint; null: never. Default 5000. */
  restartDelayMs?: number | null
  /** The checkpoint's name in the event store. */
  name?: string
  clock?: () => Date
  logger?: {
    info(details: object, message: string): void
    warn(details: object, message: string): void
    error(details: object, message: string): void
  }
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
  private readonly subscription: ResumingSubscription
  private readonly name: string

  constructor(private readonly options: ResolutionProcessManagerOptions) {
    const name = options.name ?? 'resolution-process-manager'
    this.name = name
    this.subscription = new ResumingSubscription({
      store: options.store,
      from: async () => (await options.store.checkpoint(name)) + 1,
      filter: { typePrefix: 'Resolution' },
      handler: async (event) => {
        await this.handle(event)
      },
      restartDelayMs: options.restartDelayMs,
      ...(options.logger ? { logger: options.logger } : {}),
      reader: 'resolution process manager',
    })
  }

  /**
   * Follows resolutions from the checkpoint. A step that fails for a passing reason (the database
   * does not answer) is logged and stops the run before the checkpoint moves; it resumes from the
   * checkpoint after a pause, so the step is tried again, never skipped.
   */
  async start(): Promise<void> {
    await this.subscription.start()
  }

  async stop(): Promise<void> {
    await this.subscription.stop()
  }

  /** Applies one resolution event (public for tests that redeliver by hand). */
  async handle(event: RecordedEvent): Promise<number> {
    if (event.type !== 'ResolutionAdopted' && event.type !== 'ResolutionCorrected') return 0
    const meetingId = parseMeetingStreamId(event.streamId)
    if (!meetingId) return 0
    const resolution = { type: event.type, data: event.data } as unknown as
      ResolutionAdopted | ResolutionCorrected
    const steps = this.stepsOf(event, resolution, meetingId)
    let recorded = 0
    for (const [index, step] of steps.entries()) recorded += await this.apply(event, step, index)
    await this.options.store.saveCheckpoint(this.name, event.position)
    if (steps.length > 0)
      this.options.logger?.info({ resolution: event.id, steps: steps.length }, 'resolution applied')
    return recorded
  }

  /** The steps of a resolution; none when its ids cannot name a stream (logged as refused). */
  private stepsOf(
    event: RecordedEvent,
    resolution: ResolutionAdopted | ResolutionCorrected,
    meetingId: string,
  ): ResolutionCommandDescription[] {
    try {
      return resolutionCommands(resolution, meetingId)
    } catch (error) {
      if (!(error instanceof RangeError)) throw error
      this.options.logger?.error({ resolution: event.id, code: error.name, err: error }, 'resolution refused')
      return []
    }
  }

  /**
   * One step, exactly once. A step that lost a race with another writer (a bureau acknowledging
   * the same task) is tried again on the new state. A step refused for a reason that will not
   * change (`isRefusal`: the task was cancelled, the duty is no longer held, an id the store cannot
   * take) is logged at error level for the secretariat and the manager goes on, so one refused
   * step never holds up every later resolution. Any other failure is thrown: the run stops before
   * the checkpoint and resumes after a pause.
   */
  private async apply(
    cause: RecordedEvent,
    step: ResolutionCommandDescription,
    index: number,
  ): Promise<number> {
    const idempotencyKey = `resolution:${cause.id}:${index}`
    const context: StepContext = {
      metadata: { actor, now: (this.options.clock?.() ?? new Date()).toISOString() },
      buildMetadata: () => ({
        actor,
        correlationId: cause.metadata.correlationId,
        causationId: cause.id,
        occurredAt: cause.metadata.occurredAt,
      }),
      idempotencyKey,
    }
    const attempts = this.options.conflictAttempts ?? 5
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.run(step, context)
      } catch (error) {
        if (error instanceof WrongExpectedRevision && attempt < attempts) continue
        if (!isRefusal(error)) throw error
        this.options.logger?.error(
          {
            resolution: cause.id,
            command: step.command.type,
            streamId: step.streamId,
            code: error instanceof RangeError ? error.name : error.code,
            err: error,
          },
          'resolution step refused',
        )
        return 0
      }
    }
  }

  private async run(step: ResolutionCommandDescription, context: StepContext): Promise<number> {
    if (isDutyStep(step)) {
      if (this.options.transferDuty) return await this.options.transferDuty(step, context)
      // Said loudly, not skipped silently: without a runner the plan office transfers by hand.
      this.options.logger?.warn(
        { command: step.command.type, streamId: step.streamId, key: context.idempotencyKey },
        'resolution step not carried out automatically; it needs the plan office',
      )
      return 0
    }
    const decider = this.options.deciderFor(step.streamId)
    if (!decider) throw new RangeError(`no decider for ${step.streamId}`)
    const key = context.idempotencyKey
    const result = await executeCommand({
      store: this.options.store,
      streamId: step.streamId,
      decider,
      command: { ...step.command, metadata: context.metadata },
      idempotency: { key, fingerprint: key },
      buildMetadata: context.buildMetadata,
    })
    return result.replayed ? 0 : result.events.length
  }
}

/**
 * Whether a step failed for good: the decider refused it, the store refused what it was given
 * (a stream id too long, an event it cannot hold), or an id could not make a stream id at all.
 * Sending it again would fail again, whenever it is sent. A lost race is not one (it is retried),
 * nor is anything else, such as the database not answering.
 */
function isRefusal(error: unknown): error is DomainError | EventStoreError | RangeError {
  if (error instanceof DomainError) return error.status < 500
  if (error instanceof EventStoreError) return permanentStoreErrors.has(error.code)
  return error instanceof RangeError
}

const permanentStoreErrors = new Set<EventStoreErrorCode>([
  'INVALID_STREAM_ID',
  'INVALID_EVENT',
  'EVENT_TOO_LARGE',
])

function isDutyStep(step: ResolutionCommandDescription): step is DutyCommandDescription {
  return step.command.type === 'TransferDuty'
}
