import { unreachable } from '@coord/domain'
import type {
  Duty,
  DutyAdded,
  DutyAmended,
  DutyListEvent,
  DutyRevoked,
  ResponsibilityListPublished,
} from '@coord/events/responsibility'
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
import type { AddDuty, AmendDuty, DutyListCommand, PublishList, RevokeDuty } from './duty-commands.ts'
import { latestDuties, versionsOf, type DutyList } from './duty-list.ts'
import { existingList, inForce, requireActive, requireInOrder, requireNotElsewhere } from './duty-guards.ts'
import { receiveDuty, transferDuty } from './transfer.decide.ts'

export type * from './duty-commands.ts'

const byId = (duties: Duty[]) => [...duties].sort((a, b) => (a.dutyId < b.dutyId ? -1 : 1))

function checkDuties(duties: unknown): Duty[] {
  if (!Array.isArray(duties)) throw fail('INVALID_VALUE', 'duties must be a list')
  const checked = duties.map((duty: Partial<Duty>, i) => ({
    dutyId: requireText(duty?.dutyId, `duties[${i}].dutyId`),
    ...requireContent(duty, `duties[${i}]`),
  }))
  if (new Set(checked.map((duty) => duty.dutyId)).size !== checked.length)
    throw fail('INVALID_VALUE', 'duties repeat a duty id')
  return checked
}

/**
 * A publication is the whole list from its effective date: duties it omits leave the list then.
 * Publishing what the list already holds, on the date of its latest publication, records nothing.
 */
export function publishList(command: PublishList, state: DutyList): ResponsibilityListPublished[] {
  requireRole(command.metadata.actor, ['planner'], 'publish a list')
  const { data, facts } = command
  const bureauId = requireText(data.bureauId, 'bureauId')
  const listKind = requireListKind(data.listKind)
  const effectiveDate = requireDay(data.effectiveDate, 'effectiveDate')
  const reason = requireReason(data.reason)
  const duties = checkDuties(data.duties)
  if (state.status !== 'none') {
    if (
      state.publication?.effectiveDate === effectiveDate &&
      sameJson(byId(latestDuties(state)), byId(duties))
    )
      return []
    for (const [dutyId, versions] of Object.entries(state.duties))
      requireInOrder(versions, effectiveDate, dutyId)
  }
  requireActive(facts.bureau, effectiveDate, bureauId, true)
  const list = { bureauId, listKind }
  requireNotElsewhere(
    list,
    facts.elsewhere,
    duties.map((duty) => duty.dutyId),
    effectiveDate,
  )
  const version = (state.status === 'none' ? 0 : (state.publication?.version ?? 0)) + 1
  return [{ type: 'ResponsibilityListPublished', data: { ...list, version, effectiveDate, reason, duties } }]
}

/** Adding the duty the list just gained, with the same effect date, records nothing. */
export function addDuty(command: AddDuty, state: DutyList): DutyAdded[] {
  requireRole(command.metadata.actor, ['planner'], 'add a duty')
  const list = existingList(state)
  const { data, facts } = command
  const dutyId = requireText(data.dutyId, 'dutyId')
  const content = requireContent(data, 'duty')
  const effectiveDate = requireDay(data.effectiveDate, 'effectiveDate')
  const reason = requireReason(data.reason)
  const versions = versionsOf(list, dutyId)
  const latest = versions.at(-1)
  if (latest?.content) {
    if (latest.change === 'added' && latest.from === effectiveDate && sameJson(latest.content, content))
      return []
    throw fail('DUTY_EXISTS', `${dutyId} is on the list from ${latest.from}`)
  }
  requireInOrder(versions, effectiveDate, dutyId)
  requireActive(facts.bureau, effectiveDate, list.bureauId, true)
  requireNotElsewhere(list, facts.elsewhere, [dutyId], effectiveDate)
  return [{ type: 'DutyAdded', data: { dutyId, ...content, effectiveDate, reason } }]
}

/** An amendment that leaves the duty as it is records nothing. */
export function amendDuty(command: AmendDuty, state: DutyList): DutyAmended[] {
  requireRole(command.metadata.actor, ['planner'], 'amend a duty')
  const list = existingList(state)
  const { data, facts } = command
  const dutyId = requireText(data.dutyId, 'dutyId')
  const effectiveDate = requireDay(data.effectiveDate, 'effectiveDate')
  const reason = requireReason(data.reason)
  const changes = Object.entries(data.changes ?? {}).filter(([, value]) => value !== undefined)
  if (changes.length === 0) throw fail('AMENDMENT_EMPTY')
  const versions = versionsOf(list, dutyId)
  const { content } = inForce(versions, dutyId)
  const amended = requireContent({ ...content, ...Object.fromEntries(changes) }, 'changes')
  if (sameJson(amended, content)) return []
  requireInOrder(versions, effectiveDate, dutyId)
  requireActive(facts.bureau, effectiveDate, list.bureauId)
  return [{ type: 'DutyAmended', data: { dutyId, ...amended, effectiveDate, reason } }]
}

/** Revoking a duty the list revoked on the same date records nothing. */
export function revokeDuty(command: RevokeDuty, state: DutyList): DutyRevoked[] {
  requireRole(command.metadata.actor, ['planner'], 'revoke a duty')
  const list = existingList(state)
  const dutyId = requireText(command.data.dutyId, 'dutyId')
  const effectiveDate = requireDay(command.data.effectiveDate, 'effectiveDate')
  const reason = requireReason(command.data.reason)
  const versions = versionsOf(list, dutyId)
  const latest = versions.at(-1)
  if (latest?.change === 'revoked' && latest.from === effectiveDate) return []
  inForce(versions, dutyId)
  requireInOrder(versions, effectiveDate, dutyId)
  return [{ type: 'DutyRevoked', data: { dutyId, effectiveDate, reason } }]
}

/**
 * The DutyList aggregate's decisions: the planner's changes here, transfers between lists in
 * transfer.decide.ts. Authorisation is decided here too, from the command's actor.
 */
export function decide(command: DutyListCommand, state: DutyList): DutyListEvent[] {
  switch (command.type) {
    case 'PublishList':
      return publishList(command, state)
    case 'AddDuty':
      return addDuty(command, state)
    case 'AmendDuty':
      return amendDuty(command, state)
    case 'RevokeDuty':
      return revokeDuty(command, state)
    case 'TransferDuty':
      return transferDuty(command, state)
    case 'ReceiveDuty':
      return receiveDuty(command, state)
    default:
      return unreachable(command)
  }
}
