import type { RecordedEvent } from '@coord/eventstore'

/**
 * Where the gateway learns how far the read models are: the `Projector` in the same process, or a
 * `ReadModelFollower` polling the read-model database when the gateway runs alone.
 */
export interface ProjectionSource {
  /** Resolves once the read models include `position`; rejects with PROJECTION_TIMEOUT after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<void>
  /** Calls `listener` with the events of each batch once the read models include them; returns a remover. */
  onApplied(listener: (events: readonly RecordedEvent[]) => void): () => void
}
