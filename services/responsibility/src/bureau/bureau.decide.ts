import { unreachable, type Command } from '@coord/domain'
import type {
  BureauDissolved,
  BureauEvent,
  BureauKind,
  BureauNames,
  BureauRegistered,
  BureauRenamed,
} from '@coord/events/responsibility'
import { covers, type Span } from '../days.ts'
import {
  fail,
  requireDay,
  requireIds,
  requireKind,
  requireReason,
  requireRole,
  requireText,
  sameJson,
} from '../domain-errors.ts'
import { latestNames, type Bureau, type ExistingBureau } from './bureau.ts'

export interface BureauRegistration extends BureauNames {
  bureauId: string
  kind: BureauKind
  parentId: string | null
  effectiveDate: string
}

/** `facts.parent`: the parent's lifetime as the edge read it (null: not registered, or no parent). */
export type RegisterBureau = Command<'RegisterBureau', BureauRegistration> & {
  facts: { parent: Span | null }
}
export type RenameBureau = Command<
  'RenameBureau',
  BureauNames & { effectiveDate: string; reason: string; reorganisationId?: string }
>
/** Sent by the reorganisation process manager. */
export type DissolveBureau = Command<
  'DissolveBureau',
  { reorganisationId: string; successorIds: string[]; effectiveDate: string; reason: string }
>
export type BureauCommand = RegisterBureau | RenameBureau | DissolveBureau

function checkNames(data: Partial<BureauNames>): BureauNames {
  return {
    nameZh: requireText(data.nameZh, 'nameZh'),
    nameEn: requireText(data.nameEn, 'nameEn'),
    shortName: requireText(data.shortName, 'shortName'),
  }
}

function existing(state: Bureau): ExistingBureau {
  if (state.status === 'none') throw fail('BUREAU_NOT_FOUND')
  return state
}

/** Registering the same bureau again is a retry and records nothing. */
export function registerBureau(command: RegisterBureau, state: Bureau): BureauRegistered[] {
  requireRole(command.metadata.actor, ['planner'], 'register a bureau')
  const { data } = command
  const bureauId = requireText(data.bureauId, 'bureauId')
  const parentId = data.parentId === null ? null : requireText(data.parentId, 'parentId')
  if (parentId === bureauId) throw fail('INVALID_VALUE', 'a bureau cannot be its own parent')
  const registered: BureauRegistered['data'] = {
    bureauId,
    ...checkNames(data),
    kind: requireKind(data.kind),
    parentId,
    effectiveDate: requireDay(data.effectiveDate, 'effectiveDate'),
  }
  if (state.status !== 'none') {
    const { kind, parentId, registeredOn } = state
    const { nameZh, nameEn, shortName } = state.names[0] ?? latestNames(state)
    const earlier = { bureauId, nameZh, nameEn, shortName, kind, parentId, effectiveDate: registeredOn }
    if (sameJson(earlier, registered)) return []
    throw fail('BUREAU_EXISTS', bureauId)
  }
  if (parentId !== null) {
    const parent = command.facts.parent
    if (parent === null) throw fail('PARENT_NOT_FOUND', parentId)
    if (!covers(parent, registered.effectiveDate))
      throw fail('BUREAU_NOT_ACTIVE', `parent ${parentId} on ${registered.effectiveDate}`)
  }
  return [{ type: 'BureauRegistered', data: registered }]
}

/** A rename to the names the bureau bears already records nothing. */
export function renameBureau(command: RenameBureau, state: Bureau): BureauRenamed[] {
  requireRole(command.metadata.actor, ['planner', 'system'], 'rename a bureau')
  const bureau = existing(state)
  const names = checkNames(command.data)
  const effectiveDate = requireDay(command.data.effectiveDate, 'effectiveDate')
  const reason = requireReason(command.data.reason)
  const reorganisationId = command.data.reorganisationId
  const latest = latestNames(bureau)
  const { nameZh, nameEn, shortName } = latest
  if (sameJson({ nameZh, nameEn, shortName }, names)) return []
  if (effectiveDate < latest.from)
    throw fail('EFFECTIVE_DATE_OUT_OF_ORDER', `latest name from ${latest.from}`)
  if (bureau.dissolution !== null && effectiveDate >= bureau.dissolution.on)
    throw fail('BUREAU_NOT_ACTIVE', `dissolved on ${bureau.dissolution.on}`)
  const cause =
    reorganisationId === undefined
      ? {}
      : { reorganisationId: requireText(reorganisationId, 'reorganisationId') }
  return [{ type: 'BureauRenamed', data: { ...names, effectiveDate, reason, ...cause } }]
}

/** Dissolving again for the same reorganisation records nothing; another one is refused. */
export function dissolveBureau(command: DissolveBureau, state: Bureau): BureauDissolved[] {
  requireRole(command.metadata.actor, ['system', 'planner'], 'dissolve a bureau')
  const bureau = existing(state)
  const reorganisationId = requireText(command.data.reorganisationId, 'reorganisationId')
  const successorIds = requireIds(command.data.successorIds, 'successorIds', 1)
  const effectiveDate = requireDay(command.data.effectiveDate, 'effectiveDate')
  const reason = requireReason(command.data.reason)
  if (successorIds.includes(bureau.bureauId))
    throw fail('INVALID_REORGANISATION', 'a bureau cannot succeed itself')
  if (bureau.dissolution !== null) {
    if (bureau.dissolution.reorganisationId === reorganisationId) return []
    throw fail('BUREAU_DISSOLVED', `by ${bureau.dissolution.reorganisationId}`)
  }
  if (effectiveDate <= bureau.registeredOn)
    throw fail('BUREAU_NOT_ACTIVE', `registered on ${bureau.registeredOn}`)
  const latest = latestNames(bureau)
  if (effectiveDate < latest.from) throw fail('EFFECTIVE_DATE_OUT_OF_ORDER', `renamed from ${latest.from}`)
  return [{ type: 'BureauDissolved', data: { reorganisationId, successorIds, effectiveDate, reason } }]
}

export function decide(command: BureauCommand, state: Bureau): BureauEvent[] {
  switch (command.type) {
    case 'RegisterBureau':
      return registerBureau(command, state)
    case 'RenameBureau':
      return renameBureau(command, state)
    case 'DissolveBureau':
      return dissolveBureau(command, state)
    default:
      return unreachable(command)
  }
}
