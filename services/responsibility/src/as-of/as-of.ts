import {
  dutyListStreamId,
  listKinds,
  parseResponsibilityStreamId,
  type BureauEvent,
  type BureauKind,
  type DutyContent,
  type DutyListEvent,
  type ListKind,
  type ReorganisationEvent,
} from '@coord/events/responsibility'
import { namesOn, type Bureau, type ExistingBureau } from '../bureau/bureau.ts'
import { covers } from '../days.ts'
import { bureauDecider, dutyListDecider, reorganisationDecider } from '../domain.ts'
import { contentOn, type DutyList, type ExistingList } from '../duties/duty-list.ts'
import type { ExistingReorganisation, Reorganisation } from '../reorganisation/reorganisation.ts'

// As-of queries: who was responsible for what on a given day. Effective dates decide, not the
// order or time events were recorded, so a query for a past day still names the bureau that was
// responsible then, with the name it bore then. Pure folds over the streams' events.

/** An event as read from the store, or as a test writes it. */
export interface StreamEvent {
  streamId: string
  type: string
  data: unknown
}

export interface BureauOn {
  bureauId: string
  nameZh: string
  nameEn: string
  shortName: string
  kind: BureauKind
  parentId: string | null
  registeredOn: string
  /** `dissolved` when the day is on or after the bureau's dissolution. */
  status: 'active' | 'dissolved'
  dissolvedOn: string | null
  /** The bureaus that took over, once dissolved. */
  successorIds: string[]
}

export interface DutyOn extends DutyContent {
  dutyId: string
  /** When the duty's wording in force that day took effect. */
  since: string
}

export type ResponsibleBureau = BureauOn & { duties: Record<ListKind, DutyOn[]> }

export interface Folded {
  bureaus: Map<string, ExistingBureau>
  lists: Map<string, ExistingList>
  reorganisations: Map<string, ExistingReorganisation>
}

/** Folds each responsibility stream among the events; other streams are ignored. */
export function foldResponsibility(events: Iterable<StreamEvent>): Folded {
  const bureaus = new Map<string, Bureau>()
  const lists = new Map<string, DutyList>()
  const reorganisations = new Map<string, Reorganisation>()
  for (const { streamId, type, data } of events) {
    const id = parseResponsibilityStreamId(streamId)
    if (id?.kind === 'bureau') {
      const state = bureaus.get(id.bureauId) ?? bureauDecider.initialState
      bureaus.set(id.bureauId, bureauDecider.evolve(state, { type, data } as BureauEvent))
    } else if (id?.kind === 'duties') {
      const state = lists.get(streamId) ?? dutyListDecider.initialState
      lists.set(streamId, dutyListDecider.evolve(state, { type, data } as DutyListEvent))
    } else if (id?.kind === 'reorganisation') {
      const state = reorganisations.get(id.reorganisationId) ?? reorganisationDecider.initialState
      const next = reorganisationDecider.evolve(state, { type, data } as ReorganisationEvent)
      reorganisations.set(id.reorganisationId, next)
    }
  }
  return { bureaus: existing(bureaus), lists: existing(lists), reorganisations: existing(reorganisations) }
}

function existing<S extends { status: string }>(
  states: Map<string, S>,
): Map<string, Exclude<S, { status: 'none' }>> {
  return new Map([...states].filter(([, s]) => s.status !== 'none')) as Map<
    string,
    Exclude<S, { status: 'none' }>
  >
}

/** The bureau as it stood on `day`; undefined when it was not registered by then. */
export function bureauStateOn(bureau: ExistingBureau, day: string): BureauOn | undefined {
  const names = namesOn(bureau, day)
  if (names === undefined) return undefined
  const dissolved = bureau.dissolution !== null && day >= bureau.dissolution.on
  return {
    bureauId: bureau.bureauId,
    nameZh: names.nameZh,
    nameEn: names.nameEn,
    shortName: names.shortName,
    kind: bureau.kind,
    parentId: bureau.parentId,
    registeredOn: bureau.registeredOn,
    status: dissolved ? 'dissolved' : 'active',
    dissolvedOn: bureau.dissolution?.on ?? null,
    successorIds: dissolved ? [...(bureau.dissolution?.successorIds ?? [])] : [],
  }
}

export function dutiesOn(list: ExistingList | undefined, day: string): DutyOn[] {
  if (list === undefined) return []
  return Object.entries(list.duties).flatMap(([dutyId, versions]) => {
    const content = contentOn(versions, day)
    const since = versions.findLast((version) => version.from <= day)?.from ?? day
    return content === null ? [] : [{ dutyId, ...content, since }]
  })
}

/** The bureau named as it was on `day` (before a merge: its old name; after: dissolved, with successors). */
export function bureauOn(events: Iterable<StreamEvent>, bureauId: string, day: string): BureauOn | undefined {
  const bureau = foldResponsibility(events).bureaus.get(bureauId)
  return bureau && bureauStateOn(bureau, day)
}

/** Every bureau that existed on `day`, with its name then and the duties on its lists that day. */
export function responsibleOn(events: Iterable<StreamEvent>, day: string): ResponsibleBureau[] {
  const { bureaus, lists } = foldResponsibility(events)
  return [...bureaus.values()]
    .filter((bureau) => covers({ from: bureau.registeredOn, until: bureau.dissolution?.on ?? null }, day))
    .flatMap((bureau) => {
      const on = bureauStateOn(bureau, day)
      if (on === undefined) return []
      const listOf = (kind: ListKind) => lists.get(dutyListStreamId(bureau.bureauId, kind))
      const duties = Object.fromEntries(listKinds.map((kind) => [kind, dutiesOn(listOf(kind), day)]))
      return [{ ...on, duties: duties as Record<ListKind, DutyOn[]> }]
    })
    .sort((a, b) => (a.bureauId < b.bureauId ? -1 : 1))
}

/** Whose list held the duty on `day`, and what it said then. */
export function holderOn(
  events: Iterable<StreamEvent>,
  dutyId: string,
  day: string,
): { bureauId: string; listKind: ListKind; duty: DutyOn } | undefined {
  for (const list of foldResponsibility(events).lists.values()) {
    const duty = dutiesOn(list, day).find((d) => d.dutyId === dutyId)
    if (duty) return { bureauId: list.bureauId, listKind: list.listKind, duty }
  }
  return undefined
}

export interface ReorganisationSummary {
  reorganisationId: string
  type: ExistingReorganisation['decision']['type']
  status: ExistingReorganisation['status']
  decision: ExistingReorganisation['decision']['data']
  completion: ExistingReorganisation['completion']
}

export function reorganisationsOf(events: Iterable<StreamEvent>): ReorganisationSummary[] {
  return [...foldResponsibility(events).reorganisations.values()]
    .map(({ decision, status, completion }) => ({
      reorganisationId: decision.data.reorganisationId,
      type: decision.type,
      status,
      decision: decision.data,
      completion,
    }))
    .sort((a, b) => (a.decision.effectiveDate < b.decision.effectiveDate ? -1 : 1))
}
