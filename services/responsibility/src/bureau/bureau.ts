import { unreachable } from '@coord/domain'
import type { BureauEvent, BureauKind, BureauNames } from '@coord/events/responsibility'
import type { Span } from '../days.ts'

/** A name the bureau bore from `from` on, until the next one; the first is its registered name. */
export interface NameVersion extends BureauNames {
  from: string
  reason: string | null
  reorganisationId: string | null
}

export interface Dissolution {
  /** The first day the bureau no longer exists. */
  on: string
  reorganisationId: string
  successorIds: string[]
  reason: string
}

export interface BureauFacts {
  bureauId: string
  kind: BureauKind
  parentId: string | null
  registeredOn: string
  /** Oldest first; effective dates never go backwards. */
  names: NameVersion[]
  dissolution: Dissolution | null
}

/** `dissolved` once a dissolution is recorded, whatever day it takes effect. */
export type ExistingBureau = BureauFacts & { status: 'active' | 'dissolved' }
export type Bureau = { status: 'none' } | ExistingBureau

export const initialState: Bureau = { status: 'none' }

/** The days the bureau exists: from its registration to its dissolution (exclusive). */
export function lifetimeOf(state: Bureau): Span | null {
  if (state.status === 'none') return null
  return { from: state.registeredOn, until: state.dissolution?.on ?? null }
}

/** The name in force on `day`; undefined before the bureau was registered. */
export function namesOn(state: ExistingBureau, day: string): NameVersion | undefined {
  return state.names.findLast((version) => version.from <= day)
}

export function latestNames(state: ExistingBureau): NameVersion {
  const latest = state.names.at(-1)
  if (latest === undefined) throw new Error(`bureau ${state.bureauId} has no name`)
  return latest
}

export function evolve(state: Bureau, event: BureauEvent): Bureau {
  switch (event.type) {
    case 'BureauRegistered': {
      if (state.status !== 'none') return state
      const { bureauId, kind, parentId, effectiveDate, nameZh, nameEn, shortName } = event.data
      const first = { nameZh, nameEn, shortName, from: effectiveDate, reason: null, reorganisationId: null }
      const facts = { bureauId, kind, parentId, registeredOn: effectiveDate, names: [first] }
      return { status: 'active', ...facts, dissolution: null }
    }
    case 'BureauRenamed': {
      if (state.status === 'none') return state
      const { nameZh, nameEn, shortName, effectiveDate, reason, reorganisationId } = event.data
      const version = { nameZh, nameEn, shortName, from: effectiveDate, reason }
      return { ...state, names: [...state.names, { ...version, reorganisationId: reorganisationId ?? null }] }
    }
    case 'BureauDissolved': {
      if (state.status === 'none') return state
      const { effectiveDate, reorganisationId, successorIds, reason } = event.data
      const dissolution = { on: effectiveDate, reorganisationId, successorIds: [...successorIds], reason }
      return { ...state, status: 'dissolved', dissolution }
    }
    default:
      return unreachable(event)
  }
}
