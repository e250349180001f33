import type { Decider } from '@coord/domain'
import type { MeetingEvent } from '@coord/events/meetings'
import { decide, type MeetingCommand } from './meeting/meeting.decide.ts'
import { evolve, initialState, type JointMeeting } from './meeting/meeting.ts'

/** The meetings service's pure domain: the JointMeeting aggregate, as the edge and the tests use it. */
export const meetingDecider: Decider<MeetingCommand, MeetingEvent, JointMeeting> = {
  decide,
  evolve,
  initialState,
}

export type * from './meeting/meeting-commands.ts'
export type {
  ExistingMeeting,
  JointMeeting,
  MeetingFacts,
  Minutes,
  Resolution,
  ResolutionVersion,
} from './meeting/meeting.ts'
export { findResolution } from './resolution/resolution.decide.ts'
export {
  dutiesStreamId,
  resolutionCommands,
  type CommandDescription,
  type DutyCommandDescription,
  type PlanningCommandDescription,
  type ResolutionCommandDescription,
} from './resolution/commands.ts'
export { implementationStatus, type ImplementationStatus, type TaskProgress } from './resolution/status.ts'
export {
  proposeResolutions,
  readMinutes,
  type MinutesHeader,
  type ResolutionProposal,
} from './resolution/proposals.ts'
export { meetingsErrors, type MeetingsErrorCode } from './domain-errors.ts'
