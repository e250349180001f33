import type { EventOf } from './event-of.ts'

// Events of the responsibility service: the bureau registry (bureau-<id>), each bureau's power
// and responsibility lists (duties-<bureauId>-<listKind>) and reorganisations (reorganisation-<id>).
// Every date is a calendar day 'YYYY-MM-DD' in China Standard Time, and every change names the
// day it takes effect: as-of queries go by effective dates, never by when a change was recorded.

export const bureauKinds = ['委办局', '街镇', '开发区管委会', '直属公司'] as const
export type BureauKind = (typeof bureauKinds)[number]

/**
 * The bureau and duty ids the responsibility service accepts (a pattern for JSON Schema): they
 * become part of stream ids, so other services that name a bureau or duty for it check the same.
 */
export const registryIdPattern = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'

/** 权力清单 (power) or 责任清单 (responsibility). */
export const listKinds = ['power', 'responsibility'] as const
export type ListKind = (typeof listKinds)[number]

export interface BureauNames {
  nameZh: string
  nameEn: string
  /** The short name used in plan texts, e.g. 知识产权局. */
  shortName: string
}

/** What a duty says; its id stays the same wherever it is transferred. */
export interface DutyContent {
  title: string
  category: string
  /** The law or regulation the duty rests on (法律依据). */
  legalBasis: string
}

export type Duty = DutyContent & { dutyId: string }

// ---- bureau-<bureauId>

export type BureauRegistered = EventOf<
  'BureauRegistered',
  BureauNames & { bureauId: string; kind: BureauKind; parentId: string | null; effectiveDate: string }
>

export type BureauRenamed = EventOf<
  'BureauRenamed',
  BureauNames & { effectiveDate: string; reason: string; reorganisationId?: string }
>

/** The bureau ends on `effectiveDate` (it exists up to the day before); its successors carry on. */
export type BureauDissolved = EventOf<
  'BureauDissolved',
  { reorganisationId: string; successorIds: string[]; effectiveDate: string; reason: string }
>

export type BureauEvent = BureauRegistered | BureauRenamed | BureauDissolved

// ---- duties-<bureauId>-<listKind>

/** A complete list: duties it omits leave the list on `effectiveDate`. */
export type ResponsibilityListPublished = EventOf<
  'ResponsibilityListPublished',
  {
    bureauId: string
    listKind: ListKind
    /** 1 for the first publication, then one more each time. */
    version: number
    effectiveDate: string
    reason: string
    duties: Duty[]
  }
>

export type DutyAdded = EventOf<'DutyAdded', Duty & { effectiveDate: string; reason: string }>

/** The duty as amended, whole. */
export type DutyAmended = EventOf<'DutyAmended', Duty & { effectiveDate: string; reason: string }>

export type DutyRevoked = EventOf<'DutyRevoked', { dutyId: string; effectiveDate: string; reason: string }>

/** Recorded on the source list; the target list records DutyReceived. */
export type DutyTransferred = EventOf<
  'DutyTransferred',
  {
    dutyId: string
    fromBureauId: string
    toBureauId: string
    effectiveDate: string
    reason: string
    reorganisationId?: string
  }
>

export type DutyReceived = EventOf<
  'DutyReceived',
  {
    dutyId: string
    duty: DutyContent
    fromBureauId: string
    toBureauId: string
    listKind: ListKind
    effectiveDate: string
    reason: string
    reorganisationId?: string
  }
>

export type DutyListEvent =
  ResponsibilityListPublished | DutyAdded | DutyAmended | DutyRevoked | DutyTransferred | DutyReceived

// ---- reorganisation-<reorganisationId>

/** 机构改革: the old bureaus end on `effectiveDate` and `intoBureauId` takes over their duties and tasks. */
export type BureausMerged = EventOf<
  'BureausMerged',
  {
    reorganisationId: string
    fromBureauIds: string[]
    intoBureauId: string
    effectiveDate: string
    reason: string
  }
>

/**
 * One bureau ends and several take over. Duties and open tasks go where the allocations say
 * (duty id, and task key `<planId>/<taskId>`, to a successor); the rest go to the first successor.
 */
export type BureauSplit = EventOf<
  'BureauSplit',
  {
    reorganisationId: string
    fromBureauId: string
    intoBureauIds: string[]
    dutyAllocation: Record<string, string>
    taskAllocation: Record<string, string>
    effectiveDate: string
    reason: string
  }
>

/** A rename decided as part of a reorganisation; the bureau's stream then records BureauRenamed. */
export type BureauRenameDecided = EventOf<
  'BureauRenameDecided',
  BureauNames & { reorganisationId: string; bureauId: string; effectiveDate: string; reason: string }
>

/** The process manager applied every follow-up; `refused` lists the steps a decider turned down. */
export type ReorganisationCompleted = EventOf<
  'ReorganisationCompleted',
  { reorganisationId: string; steps: number; refused: { step: string; code: string }[] }
>

export type ReorganisationDecision = BureausMerged | BureauSplit | BureauRenameDecided
export type ReorganisationEvent = ReorganisationDecision | ReorganisationCompleted

export type ResponsibilityEvent = BureauEvent | DutyListEvent | ReorganisationEvent
export type ResponsibilityEventType = ResponsibilityEvent['type']

const responsibilityTypes: Record<ResponsibilityEventType, true> = {
  BureauRegistered: true,
  BureauRenamed: true,
  BureauDissolved: true,
  ResponsibilityListPublished: true,
  DutyAdded: true,
  DutyAmended: true,
  DutyRevoked: true,
  DutyTransferred: true,
  DutyReceived: true,
  BureausMerged: true,
  BureauSplit: true,
  BureauRenameDecided: true,
  ReorganisationCompleted: true,
}

export const responsibilityEventTypes = Object.freeze(
  Object.keys(responsibilityTypes) as ResponsibilityEventType[],
)

export function isResponsibilityEventType(type: string): type is ResponsibilityEventType {
  return Object.hasOwn(responsibilityTypes, type)
}

// ---- stream ids

export const bureauStreamPrefix = 'bureau-'
export const dutyListStreamPrefix = 'duties-'
export const reorganisationStreamPrefix = 'reorganisation-'

export function bureauStreamId(bureauId: string): string {
  return `${bureauStreamPrefix}${checkedId(bureauId, 'bureau')}`
}

/** The list kind ends the id, so a bureau id may itself contain '-'. */
export function dutyListStreamId(bureauId: string, listKind: ListKind): string {
  return `${dutyListStreamPrefix}${checkedId(bureauId, 'bureau')}-${listKind}`
}

export function reorganisationStreamId(reorganisationId: string): string {
  return `${reorganisationStreamPrefix}${checkedId(reorganisationId, 'reorganisation')}`
}

export type ResponsibilityStreamId =
  | { kind: 'bureau'; bureauId: string }
  | { kind: 'duties'; bureauId: string; listKind: ListKind }
  | { kind: 'reorganisation'; reorganisationId: string }

/** The ids a responsibility stream id names, or undefined when it is not one. */
export function parseResponsibilityStreamId(streamId: string): ResponsibilityStreamId | undefined {
  if (streamId.startsWith(bureauStreamPrefix)) {
    const bureauId = streamId.slice(bureauStreamPrefix.length)
    return bureauId === '' ? undefined : { kind: 'bureau', bureauId }
  }
  if (streamId.startsWith(reorganisationStreamPrefix)) {
    const reorganisationId = streamId.slice(reorganisationStreamPrefix.length)
    return reorganisationId === '' ? undefined : { kind: 'reorganisation', reorganisationId }
  }
  if (streamId.startsWith(dutyListStreamPrefix)) {
    const rest = streamId.slice(dutyListStreamPrefix.length)
    for (const listKind of listKinds) {
      const bureauId = rest.slice(0, -(listKind.length + 1))
      if (rest.endsWith(`-${listKind}`) && bureauId !== '') return { kind: 'duties', bureauId, listKind }
    }
  }
  return undefined
}

function checkedId(id: string, what: string): string {
  if (id === '') throw new RangeError(`a ${what} id must not be empty`)
  return id
}
