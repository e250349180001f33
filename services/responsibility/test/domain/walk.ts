import { DomainError, fold, type Command, type Decider, type DomainEvent } from '@coord/domain'
import { isDeepStrictEqual } from 'node:util'
import { responsibilityErrors } from '../../src/domain.ts'

export interface Step<C, E, S> {
  command: C
  /** Events decided, or undefined when the command was refused. */
  events: E[] | undefined
  /** A deep copy of the state before the command, taken when it was current. */
  before: S
  after: S
}

export interface Walk<C, E, S> {
  steps: Step<C, E, S>[]
  events: E[]
  state: S
}

/**
 * Runs commands one after another the way the edge does: decide on the current state, evolve the
 * events in, skip a command that is refused. Any refusal that is not a catalogued DomainError, or
 * a decide or evolve that mutates the state it was given, fails the walk at once.
 */
export function walk<C extends Command, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  commands: Iterable<C>,
): Walk<C, E, S> {
  const steps: Step<C, E, S>[] = []
  const all: E[] = []
  let state = decider.initialState
  for (const command of commands) {
    const before = structuredClone(state)
    let events: E[] | undefined
    try {
      events = decider.decide(command, state)
    } catch (error) {
      if (!(error instanceof DomainError) || !(error.code in responsibilityErrors.definitions)) throw error
    }
    if (!isDeepStrictEqual(state, before)) throw new Error(`${command.type} mutated the state it decided on`)
    for (const event of events ?? []) {
      const prior = structuredClone(state)
      const next = decider.evolve(state, event)
      // Readers keep old states (projections, the edge's retry); evolve must leave them intact.
      if (!isDeepStrictEqual(state, prior)) throw new Error(`evolving ${event.type} mutated the prior state`)
      state = next
    }
    all.push(...(events ?? []))
    steps.push({ command, events, before, after: structuredClone(state) })
  }
  return { steps, events: all, state }
}

/**
 * Folding the walk's events from scratch, after a JSON round trip as the store gives them back,
 * rebuilds every intermediate state. Events are plain JSON, evolve is deterministic, mutates nothing it was given, and
 * depends on nothing that JSON loses.
 */
export function replaysToSameStates<C extends Command, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  { steps, events }: Walk<C, E, S>,
): boolean {
  const stored = JSON.parse(JSON.stringify(events)) as E[]
  if (!isDeepStrictEqual(stored, events)) return false
  let count = 0
  for (const step of steps) {
    if (!isDeepStrictEqual(fold(decider, stored.slice(0, count)), step.before)) return false
    count += step.events?.length ?? 0
  }
  return isDeepStrictEqual(fold(decider, stored), steps.at(-1)?.after ?? decider.initialState)
}
