import { isDeepStrictEqual } from 'node:util'
import type { Command, Decider, DomainEvent } from './decider.ts'
import { fold } from './decider.ts'
import { DomainError } from './errors.ts'

interface Assertions {
  same(found: unknown, wanted: unknown, message?: string): void
  fail(message: string): void
  ok(value: unknown, message?: string): void
}

/**
 * Given/when/then for deciders: given past events, when a command, then these events, or this
 * error. Usage: `spec(t).given([...]).when(command).then([...])` or `.thenThrows('CODE')`.
 */
export function deciderSpec<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  return (t: Assertions) => ({
    given: (events: E[]) => ({
      when: (command: C) => {
        const run = (): E[] => decider.decide(command, fold(decider, events))
        return {
          then(expected: E[]): void {
            t.same(run(), expected)
          },
          thenThrows(code: string): void {
            try {
              const produced = run()
              t.fail(`expected error ${code}, got events ${JSON.stringify(produced.map((e) => e.type))}`)
            } catch (error) {
              t.same((error as { code?: unknown }).code, code, `error code ${code}`)
            }
          },
        }
      },
    }),
  })
}

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
 * events in, skip a command that is refused. Any refusal that is not a DomainError of `catalogue`
 * (the service's error catalogue), or
 * a decide or evolve that mutates the state it was given, fails the walk at once.
 */
export function walk<C extends Command, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  commands: Iterable<C>,
  catalogue: { definitions: Readonly<Record<string, unknown>> },
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
      if (!(error instanceof DomainError) || !(error.code in catalogue.definitions)) throw error
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
 * rebuilds every intermediate state. Events are plain JSON, evolve is deterministic, mutates
 * nothing it was given, and depends on nothing that JSON loses.
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
