import type { ResolutionAdopted, ResolutionCorrected } from '@coord/events/meetings'
import { fail, requireReason, requireSecretariat, requireText, sameJson } from '../domain-errors.ts'
import type {
  AdoptResolution,
  CorrectResolution,
  ResolutionEffectInput,
} from '../meeting/meeting-commands.ts'
import { existingMeeting, requireOpenRecord } from '../meeting/meeting-guards.ts'
import {
  nextResolutionId,
  type JointMeeting,
  type MeetingFacts,
  type Resolution,
} from '../meeting/meeting.ts'
import { checkCorrection, checkEffect, defaultTaskId } from './effect.ts'

/**
 * The resolution that already says this (in any of its versions), if one does. An assign-work
 * effect without a task id is compared with the id it would have had under each resolution, so
 * a retried adoption is recognised whatever number it would get now.
 */
export function findResolution(
  meeting: MeetingFacts,
  text: string,
  input: ResolutionEffectInput,
): Resolution | undefined {
  return meeting.resolutions.find((resolution) => {
    const taskId = defaultTaskId(meeting.meetingId, resolution.resolutionId, resolution.effect)
    const effect = checkEffect(input, taskId)
    return [resolution, ...resolution.superseded].some((v) => v.text === text && sameJson(v.effect, effect))
  })
}

/**
 * Adopts the next resolution (R1, R2…) until the minutes are issued. A resolution that says
 * exactly what one on record says is a retry and records nothing.
 */
export function adoptResolution(command: AdoptResolution, state: JointMeeting): ResolutionAdopted[] {
  requireSecretariat(command.metadata.actor, 'adopt a resolution')
  const meeting = existingMeeting(state)
  const text = requireText(command.data.text, 'text')
  const resolutionId = nextResolutionId(meeting)
  const effect = checkEffect(command.data.effect, defaultTaskId(meeting.meetingId, resolutionId))
  if (findResolution(meeting, text, command.data.effect) !== undefined) return []
  requireOpenRecord(meeting, command.metadata)
  return [{ type: 'ResolutionAdopted', data: { resolutionId, text, effect } }]
}

/**
 * A recorded resolution is never edited: a correction is a new version that supersedes the
 * current one, with a reason. Corrections are how errors in issued minutes are fixed, so they are
 * accepted after the minutes and after the close. One that changes nothing records nothing.
 */
export function correctResolution(command: CorrectResolution, state: JointMeeting): ResolutionCorrected[] {
  requireSecretariat(command.metadata.actor, 'correct a resolution')
  const meeting = existingMeeting(state)
  const resolutionId = requireText(command.data.resolutionId, 'resolutionId')
  const text = requireText(command.data.text, 'text')
  const reason = requireReason(command.data.reason)
  const current = meeting.resolutions.find((r) => r.resolutionId === resolutionId)
  if (current === undefined) throw fail('RESOLUTION_NOT_FOUND', resolutionId)
  const taskId = defaultTaskId(meeting.meetingId, resolutionId, current.effect)
  const effect = checkEffect(command.data.effect, taskId)
  if (current.text === text && sameJson(current.effect, effect)) return []
  checkCorrection(current.effect, effect)
  const previous = { text: current.text, effect: current.effect }
  return [
    {
      type: 'ResolutionCorrected',
      data: { resolutionId, supersedes: current.version, text, effect, reason, previous },
    },
  ]
}
