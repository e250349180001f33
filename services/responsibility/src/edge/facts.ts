import {
  bureauStreamId,
  dutyListStreamId,
  dutyListStreamPrefix,
  listKinds,
  type DutyListEvent,
  type ListKind,
} from '@coord/events/responsibility'
import type { EventStore } from '@coord/eventstore'
import { foldStream } from '@coord/service-kit'
import { latestNames, lifetimeOf, type Bureau } from '../bureau/bureau.ts'
import type { Span } from '../days.ts'
import { bureauDecider, dutyListDecider } from '../domain.ts'
import { holdingsOf, type DutyList, type Holding } from '../duties/duty-list.ts'

// What the edge reads from other streams so a decider can decide: bureaus' lifetimes and where
// duties stand. A bureau's own streams are folded on each command; where every duty stands is
// folded once and kept up to date (allDutyLists).

/** The latest effective date recorded for a bureau: its registration, renames, and list changes. */
export function lastChangeOf(bureau: Bureau, lists: readonly DutyList[]): string | null {
  if (bureau.status === 'none') return null
  const days = [
    bureau.registeredOn,
    ...bureau.names.map((n) => n.from),
    ...lists.flatMap((list) =>
      list.status === 'none'
        ? []
        : Object.values(list.duties).flatMap((versions) => versions.map((v) => v.from)),
    ),
  ]
  return days.reduce((a, b) => (b > a ? b : a))
}

export async function lastChange(store: EventStore, bureauId: string): Promise<string | null> {
  const bureau = (await foldStream(store, bureauStreamId(bureauId), bureauDecider)).state
  const lists = await Promise.all(
    listKinds.map(
      async (kind) => (await foldStream(store, dutyListStreamId(bureauId, kind), dutyListDecider)).state,
    ),
  )
  return lastChangeOf(bureau, lists)
}

export async function namedFrom(store: EventStore, bureauId: string): Promise<string | null> {
  return namedFromOf((await foldStream(store, bureauStreamId(bureauId), bureauDecider)).state)
}

/** The day the bureau's current name took effect; null when it is not registered. */
export function namedFromOf(bureau: Bureau): string | null {
  return bureau.status === 'none' ? null : latestNames(bureau).from
}

export async function bureauLifetime(store: EventStore, bureauId: string): Promise<Span | null> {
  return lifetimeOf((await foldStream(store, bureauStreamId(bureauId), bureauDecider)).state)
}

interface FoldedLists {
  lists: Map<string, DutyList>
  /** Every duty-list event up to here is folded in. */
  position: number
  /** Catch-ups, one after another: an event folded twice would record its change twice. */
  turn: Promise<void>
}

const foldedLists = new WeakMap<EventStore, FoldedLists>()

/**
 * Every duty list, folded from the log. The fold is kept per store and brought up to date from
 * where it stopped, so each event is folded once per process, not once per command: positions are
 * dense and visible in commit order, so nothing at or below the head read first can appear later.
 */
export async function allDutyLists(store: EventStore): Promise<Map<string, DutyList>> {
  let folded = foldedLists.get(store)
  if (!folded) {
    folded = { lists: new Map(), position: 0, turn: Promise.resolve() }
    foldedLists.set(store, folded)
  }
  const { lists } = folded
  const catchUp = async (into: FoldedLists) => {
    const head = await store.headPosition()
    const filter = { streamPrefix: dutyListStreamPrefix }
    for await (const event of store.readAll({ fromPosition: into.position + 1, filter })) {
      const state = lists.get(event.streamId) ?? dutyListDecider.initialState
      const domainEvent = { type: event.type, data: event.data } as DutyListEvent
      lists.set(event.streamId, dutyListDecider.evolve(state, domainEvent))
      // Moved with each event: a read failing half-way resumes after what was folded.
      into.position = event.position
    }
    into.position = Math.max(into.position, head)
  }
  const caughtUp = folded.turn.then(() => catchUp(folded))
  folded.turn = caughtUp.catch(() => undefined)
  await caughtUp
  return new Map(lists)
}

/** Where the duties named stand on lists other than the given one. */
export async function holdingsElsewhere(
  store: EventStore,
  list: { bureauId: string; listKind: ListKind },
  dutyIds: readonly string[],
): Promise<Holding[]> {
  if (dutyIds.length === 0) return []
  const wanted = new Set(dutyIds)
  const holdings = [...(await allDutyLists(store)).values()].flatMap(holdingsOf)
  return holdings.filter(
    (h) => wanted.has(h.dutyId) && !(h.bureauId === list.bureauId && h.listKind === list.listKind),
  )
}
