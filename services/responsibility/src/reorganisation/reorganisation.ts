import { unreachable } from '@coord/domain'
import type {
  ReorganisationCompleted,
  ReorganisationDecision,
  ReorganisationEvent,
} from '@coord/events/responsibility'

/** A reorganisation is decided once; the process manager completes it by applying its follow-ups. */
export interface ExistingReorganisation {
  status: 'decided' | 'completed'
  decision: ReorganisationDecision
  completion: ReorganisationCompleted['data'] | null
}

export type Reorganisation = { status: 'none' } | ExistingReorganisation

export const initialState: Reorganisation = { status: 'none' }

export function evolve(state: Reorganisation, event: ReorganisationEvent): Reorganisation {
  if (event.type === 'ReorganisationCompleted') {
    return state.status === 'none' ? state : { ...state, status: 'completed', completion: event.data }
  }
  if (state.status !== 'none') return state
  return { status: 'decided', decision: event, completion: null }
}

/** The bureaus that end with the reorganisation. */
export function endingBureaus(decision: ReorganisationDecision): string[] {
  switch (decision.type) {
    case 'BureausMerged':
      return [...decision.data.fromBureauIds]
    case 'BureauSplit':
      return [decision.data.fromBureauId]
    case 'BureauRenameDecided':
      return []
    default:
      return unreachable(decision)
  }
}

/** The bureaus that carry on the work of the ending ones, the principal successor first. */
export function successorsOf(decision: ReorganisationDecision): string[] {
  switch (decision.type) {
    case 'BureausMerged':
      return [decision.data.intoBureauId]
    case 'BureauSplit':
      return [...decision.data.intoBureauIds]
    case 'BureauRenameDecided':
      return []
    default:
      return unreachable(decision)
  }
}
