import type { FastifyRequest } from 'fastify'
import { dutyListStreamId, type ListKind } from '@coord/events/responsibility'
import type { EventStore } from '@coord/eventstore'
import { foldStream, type CommandResult } from '@coord/service-kit'
import { dutyListDecider } from '../domain.ts'
import { runListCommand, type RunContext } from '../edge/execute.ts'
import { requestContext } from '../edge/http.ts'
import { lastContent } from './transfer.decide.ts'

/** Where a duty leaves from, and where it goes, on which day and why. */
export interface DutyTransfer {
  source: { bureauId: string; listKind: ListKind; dutyId: string }
  body: { toBureauId: string; effectiveDate: string; reason: string }
}

/**
 * A transfer from the HTTP edge: the source list lets the duty go, then the target list takes it.
 * The two appends are not one transaction; the receiving step has an idempotency key derived from
 * the client's, so retrying the request with the same key completes a transfer cut short.
 */
export function transferDuty(
  store: EventStore,
  request: FastifyRequest,
  source: DutyTransfer['source'],
  body: DutyTransfer['body'],
): Promise<CommandResult & { received: CommandResult }> {
  return runDutyTransfer(
    store,
    { source, body },
    {
      transfer: requestContext(request),
      receive: requestContext(request, 'receive'),
    },
  )
}

/**
 * Carries out a transfer for any sender (a request, the resolution process manager): TransferDuty
 * on the source list, then ReceiveDuty with the duty's last content on the target list. Each step
 * has its own context; with idempotency keys, running it again completes what was cut short and
 * records nothing twice.
 */
export async function runDutyTransfer(
  store: EventStore,
  { source, body }: DutyTransfer,
  contexts: { transfer: RunContext; receive: RunContext },
): Promise<CommandResult & { received: CommandResult }> {
  const { bureauId, listKind, dutyId } = source
  const sourceStream = dutyListStreamId(bureauId, listKind)
  const transferred = await runListCommand(
    store,
    sourceStream,
    { type: 'TransferDuty', data: { dutyId, ...body } },
    contexts.transfer,
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
    contexts.receive,
  )
  return { ...transferred, received }
}
