import { DomainError, type Command, type CommandActor, type Decider, type DomainEvent } from '@coord/domain'
import {
  bureauStreamId,
  dutyListStreamId,
  listKinds,
  type ReorganisationDecision,
} from '@coord/events/responsibility'
import { foldResponsibility, type StreamEvent } from '../../src/as-of/as-of.ts'
import {
  bureauDecider,
  dutyListDecider,
  holdingsOf,
  lifetimeOf,
  reorganisationDecider,
  responsibilityErrors,
  type BureauCommand,
  type DutyListCommand,
  type ExistingList,
  type ReorganisationCommand,
} from '../../src/domain.ts'
import {
  bureauCommand,
  listCommand,
  reorganisationCommand,
  type FactSource,
  type IntentOf,
} from '../../src/edge/execute.ts'
import { lastChangeOf, namedFromOf } from '../../src/edge/facts.ts'
import { reorganisationPlan, type FollowUp } from '../../src/index.ts'

const now = '2018-03-01T02:00:00.000Z'

/**
 * Every responsibility stream in memory, with commands run the way the edge runs them: the facts
 * come from the same builders the routes use (here over the events in memory), the deciders
 * decide, and the events are appended. Reorganisations are carried out as the process manager
 * does, without tasks. Refusals throw the deciders' DomainError; anything else is a bug.
 */
export class World {
  readonly events: StreamEvent[] = []

  readonly facts: FactSource = {
    lifetime: (bureauId) => Promise.resolve(lifetimeOf(this.fold(bureauStreamId(bureauId), bureauDecider))),
    holdingsElsewhere: (list, dutyIds) =>
      Promise.resolve(
        [...foldResponsibility(this.events).lists.values()]
          .flatMap(holdingsOf)
          .filter(
            (h) =>
              dutyIds.includes(h.dutyId) && !(h.bureauId === list.bureauId && h.listKind === list.listKind),
          ),
      ),
    lastChange: (bureauId) =>
      Promise.resolve(
        lastChangeOf(
          this.fold(bureauStreamId(bureauId), bureauDecider),
          listKinds.map((kind) => this.fold(dutyListStreamId(bureauId, kind), dutyListDecider)),
        ),
      ),
    namedFrom: (bureauId) => Promise.resolve(namedFromOf(this.fold(bureauStreamId(bureauId), bureauDecider))),
  }

  fold<E extends DomainEvent, S>(
    streamId: string,
    decider: Pick<Decider<never, E, S>, 'evolve' | 'initialState'>,
  ): S {
    return this.events
      .filter((e) => e.streamId === streamId)
      .reduce((state, { type, data }) => decider.evolve(state, { type, data } as E), decider.initialState)
  }

  async bureau(
    streamId: string,
    intent: IntentOf<BureauCommand>,
    actor: CommandActor,
  ): Promise<DomainEvent[]> {
    const command = await bureauCommand(intent, this.facts, { actor, now })
    return this.decide(streamId, bureauDecider, command)
  }

  async list(
    streamId: string,
    intent: IntentOf<DutyListCommand>,
    actor: CommandActor,
  ): Promise<DomainEvent[]> {
    const command = await listCommand(streamId, intent, this.facts, { actor, now })
    return this.decide(streamId, dutyListDecider, command)
  }

  async reorganisation(streamId: string, intent: IntentOf<ReorganisationCommand>, actor: CommandActor) {
    const command = await reorganisationCommand(intent, this.facts, { actor, now })
    return this.decide(streamId, reorganisationDecider, command)
  }

  /** Carries out a decision as the process manager does: dissolve, then move the duties. */
  async carryOut(decision: ReorganisationDecision): Promise<{ step: string; code: string }[]> {
    const system: CommandActor = { role: 'system', user: 'world' }
    const refused: { step: string; code: string }[] = []
    const run = async (step: FollowUp) => {
      try {
        if (step.aggregate === 'bureau') await this.bureau(step.streamId, step.command, system)
        if (step.aggregate === 'duties') await this.list(step.streamId, step.command, system)
      } catch (error) {
        if (!(error instanceof DomainError)) throw error
        refused.push({ step: step.step, code: error.code })
      }
    }
    for (const step of reorganisationPlan(
      decision,
      () => [],
      () => [],
    ))
      await run(step)
    const lists = (bureauId: string) =>
      listKinds
        .map((kind) => this.fold(dutyListStreamId(bureauId, kind), dutyListDecider))
        .filter((l): l is ExistingList => l.status !== 'none')
    const plan = reorganisationPlan(decision, lists, () => [])
    for (const step of plan.filter((s) => s.aggregate === 'duties')) await run(step)
    return refused
  }

  private decide<C extends Command, E extends DomainEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
  ): E[] {
    let events: E[]
    try {
      events = decider.decide(command, this.fold(streamId, decider))
    } catch (error) {
      if (error instanceof DomainError && error.code in responsibilityErrors.definitions) throw error
      throw new Error(`not a catalogued refusal: ${String(error)}`, { cause: error })
    }
    const stored = JSON.parse(JSON.stringify(events)) as E[]
    for (const { type, data } of stored) this.events.push({ streamId, type, data })
    return stored
  }
}
