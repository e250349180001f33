import type { CommandMetadata, DomainEvent } from '@coord/domain'
import { parseResponsibilityStreamId, type ListKind } from '@coord/events/responsibility'
import type { EventMetadata, EventStore, IdempotencyKey } from '@coord/eventstore'
import { executeCommand, type CommandResult } from '@coord/service-kit'
import type { BureauCommand } from '../bureau/bureau.decide.ts'
import type { Span } from '../days.ts'
import { bureauDecider, dutyListDecider, reorganisationDecider } from '../domain.ts'
import type { DutyListCommand, ListFacts } from '../duties/duty-commands.ts'
import type { Holding } from '../duties/duty-list.ts'
import {
  bureausEndedBy,
  bureausNamedBy,
  type ReorganisationCommand,
  type ReorganisationFacts,
} from '../reorganisation/reorganisation.decide.ts'
import { bureauLifetime, holdingsElsewhere, lastChange, namedFrom } from './facts.ts'

/** A command as a route or the process manager states it: without the facts the edge looks up. */
export type IntentOf<C> = C extends { type: string; data: unknown } ? Pick<C, 'type' | 'data'> : never

/** Who sends a command and how it is stored: from a request, or from the process manager. */
export interface RunContext {
  metadata: CommandMetadata
  buildMetadata: (event: DomainEvent) => EventMetadata
  expectedRevision?: number | undefined
  idempotency?: IdempotencyKey | undefined
}

/** Where the facts a command needs come from: the store, or (in tests) events in memory. */
export interface FactSource {
  lifetime(bureauId: string): Promise<Span | null>
  holdingsElsewhere(
    list: { bureauId: string; listKind: ListKind },
    dutyIds: readonly string[],
  ): Promise<Holding[]>
  /** The latest effective date recorded for the bureau, on its stream or its lists. */
  lastChange(bureauId: string): Promise<string | null>
  /** The day the bureau's current name took effect; null when it is not registered. */
  namedFrom(bureauId: string): Promise<string | null>
}

export function storeFacts(store: EventStore): FactSource {
  return {
    lifetime: (bureauId) => bureauLifetime(store, bureauId),
    holdingsElsewhere: (list, dutyIds) => holdingsElsewhere(store, list, dutyIds),
    lastChange: (bureauId) => lastChange(store, bureauId),
    namedFrom: (bureauId) => namedFrom(store, bureauId),
  }
}

export async function bureauCommand(
  intent: IntentOf<BureauCommand>,
  source: FactSource,
  metadata: CommandMetadata,
): Promise<BureauCommand> {
  if (intent.type !== 'RegisterBureau') return { ...intent, metadata }
  const { parentId } = intent.data
  const parent = typeof parentId === 'string' && parentId !== '' ? await source.lifetime(parentId) : null
  return { ...intent, facts: { parent }, metadata }
}

export async function listCommand(
  streamId: string,
  intent: IntentOf<DutyListCommand>,
  source: FactSource,
  metadata: CommandMetadata,
): Promise<DutyListCommand> {
  const id = parseResponsibilityStreamId(streamId)
  if (id?.kind !== 'duties') throw new RangeError(`not a duty list stream: ${streamId}`)
  const list = { bureauId: id.bureauId, listKind: id.listKind }
  const listFacts = async (dutyIds: string[]): Promise<ListFacts> => ({
    bureau: await source.lifetime(list.bureauId),
    elsewhere: await source.holdingsElsewhere(list, dutyIds),
  })
  switch (intent.type) {
    case 'PublishList': {
      const dutyIds = Array.isArray(intent.data.duties) ? intent.data.duties.map((d) => d?.dutyId) : []
      return { ...intent, facts: await listFacts(dutyIds), metadata }
    }
    case 'AddDuty':
      return { ...intent, facts: await listFacts([intent.data.dutyId]), metadata }
    case 'ReceiveDuty':
      return { ...intent, facts: await listFacts([intent.data.dutyId]), metadata }
    case 'AmendDuty':
      return { ...intent, facts: { bureau: await source.lifetime(list.bureauId) }, metadata }
    case 'TransferDuty': {
      const { toBureauId } = intent.data
      const target =
        typeof toBureauId === 'string' && toBureauId !== '' ? await source.lifetime(toBureauId) : null
      return { ...intent, facts: { target }, metadata }
    }
    case 'RevokeDuty':
      return { ...intent, metadata }
  }
}

export async function reorganisationCommand(
  intent: IntentOf<ReorganisationCommand>,
  source: FactSource,
  metadata: CommandMetadata,
): Promise<ReorganisationCommand> {
  if (intent.type === 'CompleteReorganisation') return { ...intent, metadata }
  // Malformed ids are left out: the decider refuses them with a 400 before it looks at facts.
  const valid = (ids: string[]) => ids.filter((id) => typeof id === 'string' && id !== '')
  const spans = await Promise.all(
    valid(bureausNamedBy(intent)).map(async (id) => [id, await source.lifetime(id)] as const),
  )
  const last = await Promise.all(
    valid(bureausEndedBy(intent)).map(async (id) => [id, await source.lastChange(id)] as const),
  )
  const renamed = intent.type === 'RenameBureauByReorganisation' ? valid([intent.data.bureauId]) : []
  const named = await Promise.all(renamed.map(async (id) => [id, await source.namedFrom(id)] as const))
  const facts: ReorganisationFacts = {
    bureaus: Object.fromEntries(spans),
    lastChanges: Object.fromEntries(last),
    namedFrom: Object.fromEntries(named),
  }
  return { ...intent, facts, metadata }
}

export async function runBureauCommand(
  store: EventStore,
  streamId: string,
  intent: IntentOf<BureauCommand>,
  context: RunContext,
): Promise<CommandResult> {
  const command = await bureauCommand(intent, storeFacts(store), context.metadata)
  return executeCommand({ store, streamId, decider: bureauDecider, command, ...options(context) })
}

export async function runListCommand(
  store: EventStore,
  streamId: string,
  intent: IntentOf<DutyListCommand>,
  context: RunContext,
): Promise<CommandResult> {
  const command = await listCommand(streamId, intent, storeFacts(store), context.metadata)
  return executeCommand({ store, streamId, decider: dutyListDecider, command, ...options(context) })
}

export async function runReorganisationCommand(
  store: EventStore,
  streamId: string,
  intent: IntentOf<ReorganisationCommand>,
  context: RunContext,
): Promise<CommandResult> {
  const command = await reorganisationCommand(intent, storeFacts(store), context.metadata)
  return executeCommand({ store, streamId, decider: reorganisationDecider, command, ...options(context) })
}

function options(context: RunContext) {
  return {
    buildMetadata: context.buildMetadata,
    expectedRevision: context.expectedRevision,
    idempotency: context.idempotency,
  }
}
