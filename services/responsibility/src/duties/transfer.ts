import type { FastifyRequest } from 'fastify'
import { dutyListStreamId, type ListKind } from '@coord/events/responsibility'
import type { EventStore } from '@coord/eventstore'
import type { CommandResult } from '@coord/service-kit'
import { dutyListDecider } from '../domain.ts'
import { runListCommand } from '../edge/execute.ts'
import { foldStream } from '../edge/facts.ts'
import { requestContext } from '../edge/http.ts'
import { lastContent } from './transfer.decide.ts'

/**
 * A transfer from the HTTP edge: the source list lets the duty go, then the target list takes it.
 * The two appends are not one transaction; the receiving step has an idempotency key derived from
 * the client's, so retrying the request with the same key completes a transfer cut short.
 */
export async function transferDuty(
  store: EventStore,
  request: FastifyRequest,
  source: { bureauId: string; listKind: ListKind; dutyId: string },
  body: { toBureauId: string; effectiveDate: string; reason: string },
): Promise<CommandResult & { received: CommandResult }> {
  const { bureauId, listKind, dutyId } = source
  const sourceStream = dutyListStreamId(bureauId, listKind)
  const transferred = await runListCommand(
    store,
    sourceStream,
    { type: 'TransferDuty', data: { dutyId, ...body } },
    requestContext(request),
  )
  const { state } = await foldStream(store, sourceStream, dutyListDecider)
  if (state.status === 'none') throw new Error(`${sourceStream} vanished after a transfer`)
  const data = {
    bureauId: body.toBureauId,
    listKind,
    dutyId,
    duty: lastContent(state, dutyId),
    fromBureauId: bureauId,
    effectiveDate: body.effectiveDate,
    reason: body.reason,
  }
  const received = await runListCommand(
    store,
    dutyListStreamId(body.toBureauId, listKind),
    { type: 'ReceiveDuty', data },
    requestContext(request, 'receive'),
  )
  return { ...transferred, received }
}
