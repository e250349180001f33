import type { Decider } from '@coord/domain'
import type { BureauEvent, DutyListEvent, ReorganisationEvent } from '@coord/events/responsibility'
import { decide as decideBureau, type BureauCommand } from './bureau/bureau.decide.ts'
import { evolve as evolveBureau, initialState as initialBureau, type Bureau } from './bureau/bureau.ts'
import { decide as decideList, type DutyListCommand } from './duties/duty-list.decide.ts'
import { evolve as evolveList, initialState as initialList, type DutyList } from './duties/duty-list.ts'
import {
  decide as decideReorganisation,
  type ReorganisationCommand,
} from './reorganisation/reorganisation.decide.ts'
import {
  evolve as evolveReorganisation,
  initialState as initialReorganisation,
  type Reorganisation,
} from './reorganisation/reorganisation.ts'

/** The responsibility service's pure domain: three aggregates, as the edge and the tests use them. */
export const bureauDecider: Decider<BureauCommand, BureauEvent, Bureau> = {
  decide: decideBureau,
  evolve: evolveBureau,
  initialState: initialBureau,
}

export const dutyListDecider: Decider<DutyListCommand, DutyListEvent, DutyList> = {
  decide: decideList,
  evolve: evolveList,
  initialState: initialList,
}

export const reorganisationDecider: Decider<ReorganisationCommand, ReorganisationEvent, Reorganisation> = {
  decide: decideReorganisation,
  evolve: evolveReorganisation,
  initialState: initialReorganisation,
}

export type {
  BureauCommand,
  BureauRegistration,
  DissolveBureau,
  RegisterBureau,
  RenameBureau,
} from './bureau/bureau.decide.ts'
export type { Bureau, BureauFacts, Dissolution, ExistingBureau, NameVersion } from './bureau/bureau.ts'
export { latestNames, lifetimeOf, namesOn } from './bureau/bureau.ts'
export type * from './duties/duty-commands.ts'
export type {
  DutyChange,
  DutyList,
  DutyVersion,
  ExistingList,
  Holding,
  Publication,
} from './duties/duty-list.ts'
export { contentOn, holdingsOf, latestDuties, spansOf, versionsOf } from './duties/duty-list.ts'
export { lastContent } from './duties/transfer.decide.ts'
export type {
  CompleteReorganisation,
  MergeBureaus,
  RenameBureauByReorganisation,
  ReorganisationCommand,
  ReorganisationFacts,
  SplitBureau,
} from './reorganisation/reorganisation.decide.ts'
export type { ExistingReorganisation, Reorganisation } from './reorganisation/reorganisation.ts'
export { endingBureaus, successorsOf } from './reorganisation/reorganisation.ts'
export { bureausNamedBy } from './reorganisation/reorganisation.decide.ts'
export { covers, isDay, type Span } from './days.ts'
export { responsibilityErrors, type ResponsibilityErrorCode } from './domain-errors.ts'
