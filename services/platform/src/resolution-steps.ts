import type { DutyTransferRunner } from '@coord/meetings'
import { parseResponsibilityStreamId } from '@coord/events/responsibility'
import type { EventStore } from '@coord/eventstore'
import { runDutyTransfer, type RunContext } from '@coord/responsibility'

/**
 * How the resolution process manager transfers a duty: through the responsibility service's own
 * two-list step (the source list lets it go, the target list receives it), each part under a key
 * derived from the resolution step's, so a redelivery or a restart mid-way completes the transfer
 * and records nothing twice.
 */
export function dutyTransferRunner(store: EventStore): DutyTransferRunner {
  return async (step, context) => {
    const list = parseResponsibilityStreamId(step.streamId)
    if (list?.kind !== 'duties') throw new RangeError(`not a duty list stream: ${step.streamId}`)
    const { dutyId, ...body } = step.command.data
    const part = (key: string): RunContext => ({
      metadata: context.metadata,
      buildMetadata: context.buildMetadata,
      idempotency: { key, fingerprint: key },
    })
    const result = await runDutyTransfer(
      store,
      { source: { bureauId: list.bureauId, listKind: list.listKind, dutyId }, body },
      { transfer: part(context.idempotencyKey), receive: part(`${context.idempotencyKey}:receive`) },
    )
    const recorded = (part: { replayed: boolean; events: unknown[] }) =>
      part.replayed ? 0 : part.events.length
    return recorded(result) + recorded(result.received)
  }
}
