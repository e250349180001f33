import type { Command, Decider, DomainEvent } from '@coord/domain'
import type { EventStore } from '@coord/eventstore'

/**
 * A stream's state as its decider folds it from the first event, read now, and its revision (0
 * for no stream). For reads that decide nothing themselves: a command's own state goes through
 * `executeCommand`, which keeps folded states and reads only what is new.
 */
export async function foldStream<C extends Command, E extends DomainEvent, S>(
  store: EventStore,
  streamId: string,
  decider: Decider<C, E, S>,
): Promise<{ state: S; revision: number }> {
  let state = decider.initialState
  let revision = 0
  for await (const event of store.readStream(streamId)) {
    state = decider.evolve(state, { type: event.type, data: event.data } as E)
    revision = event.revision
  }
  return { state, revision }
}
