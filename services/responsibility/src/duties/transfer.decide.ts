import type { DutyContent, DutyReceived, DutyTransferred } from '@coord/events/responsibility'
import {
  fail,
  requireContent,
  requireDay,
  requireListKind,
  requireReason,
  requireRole,
  requireText,
  sameJson,
} from '../domain-errors.ts'
import type { ReceiveDuty, TransferDuty } from './duty-commands.ts'
import { versionsOf, type DutyList, type ExistingList } from './duty-list.ts'
import { existingList, inForce, requireActive, requireInOrder, requireNotElsewhere } from './duty-guards.ts'

// A transfer is two decisions on two lists: the source lets the duty go (DutyTransferred), then
// the target takes it (DutyReceived), each list's stream complete in itself. The receiving list
// refuses the duty while the source still holds it, so a duty never stands on two lists at once.

function optionalId(value: string | undefined): { reorganisationId?: string } {
  return value === undefined ? {} : { reorganisationId: requireText(value, 'reorganisationId') }
}

/** Transferring again to the same bureau with the same effect date records nothing. */
export function transferDuty(command: TransferDuty, state: DutyList): DutyTransferred[] {
  requireRole(command.metadata.actor, ['planner', 'system'], 'transfer a duty')
  const list = existingList(state)
  const { data, facts } = command
  const dutyId = requireText(data.dutyId, 'dutyId')
  const toBureauId = requireText(data.toBureauId, 'toBureauId')
  const effectiveDate = requireDay(data.effectiveDate, 'effectiveDate')
  const reason = requireReason(data.reason)
  const cause = optionalId(data.reorganisationId)
  if (toBureauId === list.bureauId)
    throw fail('INVALID_VALUE', 'a duty cannot be transferred to its own bureau')
  const versions = versionsOf(list, dutyId)
  const latest = versions.at(-1)
  if (latest?.change === 'transferred' && latest.counterpart === toBureauId && latest.from === effectiveDate)
    return []
  inForce(versions, dutyId)
  requireInOrder(versions, effectiveDate, dutyId)
  requireActive(facts.target, effectiveDate, toBureauId, true)
  const moved = { dutyId, fromBureauId: list.bureauId, toBureauId, effectiveDate, reason, ...cause }
  return [{ type: 'DutyTransferred', data: moved }]
}

/** The list takes a duty another list let go; taking the same duty again records nothing. */
export function receiveDuty(command: ReceiveDuty, state: DutyList): DutyReceived[] {
  requireRole(command.metadata.actor, ['planner', 'system'], 'receive a duty')
  const { data, facts } = command
  const bureauId = requireText(data.bureauId, 'bureauId')
  const listKind = requireListKind(data.listKind)
  const dutyId = requireText(data.dutyId, 'dutyId')
  const duty = requireContent(data.duty, 'duty')
  const fromBureauId = requireText(data.fromBureauId, 'fromBureauId')
  const effectiveDate = requireDay(data.effectiveDate, 'effectiveDate')
  const reason = requireReason(data.reason)
  const cause = optionalId(data.reorganisationId)
  if (fromBureauId === bureauId) throw fail('INVALID_VALUE', 'a duty cannot come from its own bureau')
  const list: ExistingList =
    state.status === 'none' ? { status: 'open', bureauId, listKind, publication: null, duties: {} } : state
  const versions = versionsOf(list, dutyId)
  const latest = versions.at(-1)
  if (latest?.content) {
    const same = latest.change === 'received' && latest.counterpart === fromBureauId
    if (same && latest.from === effectiveDate && sameJson(latest.content, duty)) return []
    throw fail('DUTY_EXISTS', `${dutyId} is on the list from ${latest.from}`)
  }
  requireInOrder(versions, effectiveDate, dutyId)
  requireActive(facts.bureau, effectiveDate, list.bureauId, true)
  requireNotElsewhere(list, facts.elsewhere, [dutyId], effectiveDate)
  const to = { toBureauId: list.bureauId, listKind: list.listKind }
  return [
    { type: 'DutyReceived', data: { dutyId, duty, fromBureauId, ...to, effectiveDate, reason, ...cause } },
  ]
}

/** What a duty said the last time it stood on the list: what a transfer hands to the target. */
export function lastContent(list: ExistingList, dutyId: string): DutyContent {
  const content = versionsOf(list, dutyId).findLast((version) => version.content !== null)?.content
  if (!content) throw fail('DUTY_NOT_FOUND', dutyId)
  return content
}
