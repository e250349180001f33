/** An event as a decider returns it: its type and data. Ids and metadata are added at the edge. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type
  data: Data
}

/** Who acts, as the edge established it from the token. */
export interface CommandActor {
  role: 'planner' | 'secretariat' | 'supervisor' | 'bureau' | 'auditor' | 'system'
  bureauId?: string | undefined
  user: string
}

/**
 * What every command carries besides its data: the actor and the time. Deciders read time only
 * from here, never from a clock, so they stay pure and replayable.
 */
export interface CommandMetadata {
  actor: CommandActor
  /** When the command was accepted (ISO date-time). */
  now: string
}

export interface Command<Type extends string = string, Data = unknown> {
  type: Type
  data: Data
  metadata: CommandMetadata
}

/** An aggregate's pure logic: decide what happens, and fold what happened into state. */
export interface Decider<C extends Command, E extends DomainEvent, S> {
  decide(command: C, state: S): E[]
  evolve(state: S, event: E): S
  initialState: S
}

/** Folds events into state from the initial state. */
export function fold<C extends Command, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  events: Iterable<E>,
): S {
  let state = decider.initialState
  for (const event of events) state = decider.evolve(state, event)
  return state
}

/** Marks a branch a `switch` over a union can never reach; a new member fails to compile. */
export function unreachable(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`)
}
