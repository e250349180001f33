import type { Command, Decider, DomainEvent } from '@coord/domain'
import type { EventStore } from '@coord/eventstore'
import { planningErrors, type PlanningErrorCode } from './domain.ts'

/** Folds a stream into its aggregate's state, with the revision and position it stands at. */
export async function readAggregate<C extends Command, E extends DomainEvent, S>(
  store: EventStore,
  streamId: string,
  decider: Decider<C, E, S>,
  notFound: PlanningErrorCode,
): Promise<{ streamId: string; revision: number; position: number; state: S }> {
  let state = decider.initialState
  let revision = 0
  let position = 0
  for await (const event of store.readStream(streamId)) {
    state = decider.evolve(state, { type: event.type, data: event.data } as E)
    revision = event.revision
    position = event.position
  }
  if (revision === 0) throw planningErrors.make(notFound, streamId)
  return { streamId, revision, position, state }
}
