import { unreachable } from '@coord/domain'
import type { Duty, DutyContent, DutyListEvent, ListKind } from '@coord/events/responsibility'
import type { Span } from '../days.ts'

/** How a duty came to stand as it does from a date on. */
export type DutyChange =
  'published' | 'added' | 'amended' | 'received' | 'revoked' | 'transferred' | 'dropped'

/** What a duty is on this list from `from` on, until its next version: null means not on the list. */
export interface DutyVersion {
  from: string
  content: DutyContent | null
  change: DutyChange
  /** The bureau a received duty came from, or a transferred one went to. */
  counterpart: string | null
  reorganisationId: string | null
  reason: string
}

export interface Publication {
  version: number
  effectiveDate: string
  reason: string
  duties: Duty[]
}

export interface ExistingList {
  status: 'open'
  bureauId: string
  listKind: ListKind
  /** The latest publication; null for a list that so far only received transferred duties. */
  publication: Publication | null
  /** Each duty's versions, oldest first; a duty's effective dates never go backwards. */
  duties: Record<string, DutyVersion[]>
}

export type DutyList = { status: 'none' } | ExistingList

export const initialState: DutyList = { status: 'none' }

/** Where a duty is on a list: which bureau's list, and the days it stands there. */
export interface Holding extends Span {
  dutyId: string
  bureauId: string
  listKind: ListKind
}

export function versionsOf(list: ExistingList, dutyId: string): DutyVersion[] {
  return Object.hasOwn(list.duties, dutyId) ? (list.duties[dutyId] ?? []) : []
}

/** The duty's content on `day`, or null when it is not on the list that day. */
export function contentOn(versions: readonly DutyVersion[], day: string): DutyContent | null {
  return versions.findLast((version) => version.from <= day)?.content ?? null
}

/** The days the duty stands on the list; amendments do not break a span. */
export function spansOf(versions: readonly DutyVersion[]): Span[] {
  const spans: Span[] = []
  let open: string | null = null
  for (const version of versions) {
    if (version.content !== null && open === null) open = version.from
    if (version.content === null && open !== null) {
      if (open < version.from) spans.push({ from: open, until: version.from })
      open = null
    }
  }
  if (open !== null) spans.push({ from: open, until: null })
  return spans
}

export function holdingsOf(list: DutyList): Holding[] {
  if (list.status === 'none') return []
  const { bureauId, listKind } = list
  return Object.entries(list.duties).flatMap(([dutyId, versions]) =>
    spansOf(versions).map((span) => ({ dutyId, bureauId, listKind, ...span })),
  )
}

/** The duties whose latest version has them on the list, each as it stands now. */
export function latestDuties(list: ExistingList): Duty[] {
  return Object.entries(list.duties).flatMap(([dutyId, versions]) => {
    const content = versions.at(-1)?.content
    return content ? [{ dutyId, ...content }] : []
  })
}

function withVersion(list: ExistingList, dutyId: string, version: DutyVersion): ExistingList {
  return withVersions(list, [[dutyId, version]])
}

/**
 * The list with each version appended to its duty's, copying the map of duties once however many
 * versions are added (a publication adds one per duty). Keys are defined, never assigned, so a duty
 * id such as `__proto__` stays an ordinary key.
 */
function withVersions(list: ExistingList, added: readonly (readonly [string, DutyVersion])[]): ExistingList {
  const duties = { ...list.duties }
  for (const [dutyId, version] of added) {
    const versions = Object.hasOwn(duties, dutyId) ? (duties[dutyId] ?? []) : []
    Object.defineProperty(duties, dutyId, {
      value: [...versions, version],
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return { ...list, duties }
}

const plain = { counterpart: null, reorganisationId: null }

function onPublished(
  state: DutyList,
  data: Extract<DutyListEvent, { type: 'ResponsibilityListPublished' }>['data'],
) {
  const { bureauId, listKind, version, effectiveDate: from, reason, duties } = data
  const list: ExistingList =
    state.status === 'none' ? { status: 'open', bureauId, listKind, publication: null, duties: {} } : state
  const listed = new Set(duties.map((duty) => duty.dutyId))
  const added: [string, DutyVersion][] = []
  for (const dutyId of Object.keys(list.duties)) {
    if (!listed.has(dutyId) && versionsOf(list, dutyId).at(-1)?.content)
      added.push([dutyId, { from, content: null, change: 'dropped', ...plain, reason }])
  }
  for (const { dutyId, ...content } of duties)
    added.push([dutyId, { from, content, change: 'published', ...plain, reason }])
  const publication = { version, effectiveDate: from, reason, duties: duties.map((duty) => ({ ...duty })) }
  return { ...withVersions(list, added), publication }
}

export function evolve(state: DutyList, event: DutyListEvent): DutyList {
  if (event.type === 'ResponsibilityListPublished') return onPublished(state, event.data)
  if (event.type === 'DutyReceived') {
    const { dutyId, duty, fromBureauId, toBureauId, listKind, effectiveDate, reason } = event.data
    const list: ExistingList =
      state.status === 'none'
        ? { status: 'open', bureauId: toBureauId, listKind, publication: null, duties: {} }
        : state
    const cause = { counterpart: fromBureauId, reorganisationId: event.data.reorganisationId ?? null }
    return withVersion(list, dutyId, {
      from: effectiveDate,
      content: { ...duty },
      change: 'received',
      ...cause,
      reason,
    })
  }
  if (state.status === 'none') return state
  switch (event.type) {
    case 'DutyAdded':
    case 'DutyAmended': {
      const { dutyId, title, category, legalBasis, effectiveDate: from, reason } = event.data
      const change = event.type === 'DutyAdded' ? 'added' : 'amended'
      return withVersion(state, dutyId, {
        from,
        content: { title, category, legalBasis },
        change,
        ...plain,
        reason,
      })
    }
    case 'DutyRevoked': {
      const { dutyId, effectiveDate: from, reason } = event.data
      return withVersion(state, dutyId, { from, content: null, change: 'revoked', ...plain, reason })
    }
    case 'DutyTransferred': {
      const { dutyId, toBureauId, effectiveDate: from, reason } = event.data
      const cause = { counterpart: toBureauId, reorganisationId: event.data.reorganisationId ?? null }
      return withVersion(state, dutyId, { from, content: null, change: 'transferred', ...cause, reason })
    }
    default:
      return unreachable(event)
  }
}
