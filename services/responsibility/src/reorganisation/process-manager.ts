import { createHash } from 'node:crypto'
import { DomainError, type Command, type CommandActor, type Decider, type DomainEvent } from '@coord/domain'
import {
  dutyListStreamId,
  listKinds,
  reorganisationStreamPrefix,
  type ReorganisationDecision,
} from '@coord/events/responsibility'
import { WrongExpectedRevision, type EventStore, type RecordedEvent } from '@coord/eventstore'
import { executeCommand, foldStream, ResumingSubscription } from '@coord/service-kit'
import { startOfDay } from '../days.ts'
import { dutyListDecider, reorganisationDecider } from '../domain.ts'
import type { ExistingList } from '../duties/duty-list.ts'
import {
  runBureauCommand,
  runListCommand,
  runReorganisationCommand,
  type RunContext,
} from '../edge/execute.ts'
import { OpenTasks, type OpenTask } from './open-tasks.ts'
import { reorganisationPlan, type AssignTaskData, type FollowUp } from './plan.ts'
import { endingBureaus } from './reorganisation.ts'

/** The planning service's task decider, as far as reassigning a task needs it (structural). */
export type TaskDecider = Decider<Command<'AssignTask', AssignTaskData>, DomainEvent, unknown>

/** Where the process manager learns the open tasks: fed every task event, in log order. */
export interface OpenTaskLookup {
  apply(event: { streamId: string; type: string; data: unknown }): void
  of(bureauId: string): OpenTask[]
}

interface Logger {
  info(details: object, message: string): void
  warn(details: object, message: string): void
  error(details: object, message: string): void
}

export interface ProcessManagerOptions {
  store: EventStore
  taskDecider: TaskDecider
  /** A fresh lookup for each run from the start of the log; default: an in-memory OpenTasks. */
  openTasks?: () => OpenTaskLookup
  logger?: Logger
  clock?: () => Date
  /** After a failure (e.g. the store went away) the run starts over after this delay; null: never. */
  restartDelayMs?: number | null
}

const decisionTypes = new Set(['BureausMerged', 'BureauSplit', 'BureauRenameDecided'])
const actor: CommandActor = { role: 'system', user: 'reorganisation-process-manager' }
const maxConflictRetries = 5

/**
 * Carries out reorganisations: for each decision on a `reorganisation-` stream it dissolves the old
 * bureaus, moves their duties and open tasks to the successors, then records the reorganisation
 * complete. It follows the whole log from position 1 on every start, keeping the open tasks from
 * the `task-` streams it passes, and holds no checkpoint: that is what makes it exactly-once.
 * - A reorganisation already completed is skipped.
 * - Each follow-up has an idempotency key from the decision's event id and the step's name, so a
 *   step applied before a crash returns its first result, and the deciders record nothing for a
 *   repeated dissolution, transfer, receipt or assignment.
 * - Appends carry the revision read, so a concurrent writer causes a retry, never a lost update.
 */
export class ReorganisationProcessManager {
  private readonly subscription: ResumingSubscription
  private openTasks: OpenTaskLookup

  constructor(private readonly options: ProcessManagerOptions) {
    this.openTasks = this.freshLookup()
    this.subscription = new ResumingSubscription({
      store: options.store,
      // Every run, the first and each after a failure, rebuilds the open tasks from position 1.
      from: () => {
        this.openTasks = this.freshLookup()
        return Promise.resolve(1)
      },
      handler: (event) => this.handle(event),
      restartDelayMs: options.restartDelayMs,
      ...(options.logger ? { logger: options.logger } : {}),
      reader: 'reorganisation process manager',
      resumesFrom: 'the start of the log',
    })
  }

  async start(): Promise<void> {
    await this.subscription.start()
  }

  async stop(): Promise<void> {
    await this.subscription.stop()
  }

  /** The log position handled last. */
  get position(): number {
    return this.subscription.position
  }

  /** Resolves once every event in the store, the process manager's own included, is handled. */
  async settled(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const head = await this.options.store.headPosition()
      while (this.position < head) {
        if (Date.now() > deadline) throw new Error(`not settled: at ${this.position} of ${head}`)
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      if ((await this.options.store.headPosition()) === head) return
    }
  }

  /** Handles one event of the log; public so a redelivery can be exercised directly. */
  async handle(event: RecordedEvent): Promise<void> {
    if (event.streamId.startsWith('task-')) this.openTasks.apply(event)
    else if (event.streamId.startsWith(reorganisationStreamPrefix) && decisionTypes.has(event.type))
      await this.carryOut(event, { type: event.type, data: event.data } as ReorganisationDecision)
  }

  private async carryOut(event: RecordedEvent, decision: ReorganisationDecision): Promise<void> {
    const { store } = this.options
    const { state } = await foldStream(store, event.streamId, reorganisationDecider)
    if (state.status === 'completed') return
    const openTasksOf = (bureauId: string) => this.openTasks.of(bureauId)
    const refused: { step: string; code: string }[] = []
    const done = new Set<string>()
    // Dissolve first, then read the lists: from its dissolution on, an old bureau's lists take no
    // new duties, so the lists read are the ones to empty.
    for (const step of reorganisationPlan(decision, () => [], openTasksOf)) {
      if (step.aggregate !== 'bureau') continue
      await this.run(event, decision, step, refused)
      done.add(step.step)
    }
    const lists = await this.listsOf(endingBureaus(decision))
    const plan = reorganisationPlan(decision, (id) => lists.get(id) ?? [], openTasksOf)
    for (const step of plan) if (!done.has(step.step)) await this.run(event, decision, step, refused)
    const complete = { type: 'CompleteReorganisation' as const, data: { steps: plan.length, refused } }
    const context = this.context(event, decision, 'complete')
    await retryingConflicts(() => runReorganisationCommand(store, event.streamId, complete, context))
    this.options.logger?.info(
      { reorganisationId: decision.data.reorganisationId, steps: plan.length, refused },
      'reorganisation completed',
    )
  }

  private async listsOf(bureauIds: string[]): Promise<Map<string, ExistingList[]>> {
    const lists = new Map<string, ExistingList[]>()
    for (const bureauId of bureauIds) {
      const folded = await Promise.all(
        listKinds.map((kind) =>
          foldStream(this.options.store, dutyListStreamId(bureauId, kind), dutyListDecider),
        ),
      )
      lists.set(
        bureauId,
        folded.flatMap(({ state }) => (state.status === 'none' ? [] : [state])),
      )
    }
    return lists
  }

  private async run(
    event: RecordedEvent,
    decision: ReorganisationDecision,
    step: FollowUp,
    refused: { step: string; code: string }[],
  ): Promise<void> {
    try {
      await retryingConflicts(() => this.execute(step, this.context(event, decision, step.step)))
    } catch (err) {
      if (!(err instanceof DomainError) || err.status >= 500) throw err
      // The decider turned the step down (e.g. the task was closed meanwhile): record it and go on.
      refused.push({ step: step.step, code: err.code })
      this.options.logger?.warn({ step: step.step, code: err.code }, 'reorganisation step refused')
    }
  }

  private execute(step: FollowUp, context: RunContext) {
    const { store, taskDecider } = this.options
    switch (step.aggregate) {
      case 'bureau':
        return runBureauCommand(store, step.streamId, step.command, context)
      case 'duties':
        return runListCommand(store, step.streamId, step.command, context)
      case 'task': {
        const command = { ...step.command, metadata: context.metadata }
        return executeCommand({ store, streamId: step.streamId, decider: taskDecider, command, ...context })
      }
    }
  }

  private context(event: RecordedEvent, decision: ReorganisationDecision, step: string): RunContext {
    const key = `reorganisation-pm:${event.id}:${createHash('sha256').update(step).digest('base64url').slice(0, 32)}`
    const { reorganisationId, effectiveDate } = decision.data
    const metadata = { actor, now: (this.options.clock ?? (() => new Date()))().toISOString() }
    return {
      metadata,
      idempotency: { key, fingerprint: key },
      buildMetadata: () => ({
        actor: { ...actor },
        correlationId: reorganisationId,
        causationId: event.id,
        occurredAt: startOfDay(effectiveDate),
        step,
      }),
    }
  }

  private freshLookup(): OpenTaskLookup {
    return this.options.openTasks?.() ?? new OpenTasks()
  }
}

/** Runs a step again while another writer got in first: it re-reads, and its key or decider ends it. */
async function retryingConflicts<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await step()
    } catch (err) {
      if (!(err instanceof WrongExpectedRevision) || attempt >= maxConflictRetries) throw err
    }
  }
}
