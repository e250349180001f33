import { maxTaskIdLength } from '@coord/events'
import { registryIdPattern } from '@coord/events/responsibility'
import { Type, commandResult } from '@coord/service-kit'

// The JSON Schemas the routes share. Every object says `additionalProperties: false`: an unknown
// field is a 400, never silently dropped.

export const text = (maxLength: number) => Type.String({ minLength: 1, maxLength })
export const day = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'a calendar day, YYYY-MM-DD',
})
/** Ids that become part of a stream id: letters, digits, '_' and '-'. */
export const meetingId = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$' })
export const planId = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$' })
/** A bureau named on a task, as the planning service accepts it (the names minutes print, too). */
const bureauId = text(100)
const bureauIds = Type.Array(bureauId, { maxItems: 50 })
/** A bureau or duty of the registry, as the responsibility service accepts it. */
const registryId = Type.String({ pattern: registryIdPattern })
const taskId = Type.String({ minLength: 1, maxLength: maxTaskIdLength, pattern: '^\\S+$' })

export const meetingParams = Type.Object({ meetingId }, { additionalProperties: false })
export const resolutionParams = Type.Object(
  { meetingId, resolutionId: Type.String({ pattern: '^R[1-9][0-9]{0,5}$' }) },
  { additionalProperties: false },
)

const closed = { additionalProperties: false } as const

export const effect = Type.Union(
  [
    Type.Object(
      {
        kind: Type.Literal('assign-work'),
        planId,
        taskId: Type.Optional(taskId),
        title: text(500),
        leads: bureauIds,
        partners: bureauIds,
        deadline: Type.Union([day, Type.Null()]),
      },
      { ...closed, description: 'new work: a task published and assigned (default id R-<meetingId>-<Rn>)' },
    ),
    Type.Object(
      { kind: Type.Literal('change-deadline'), planId, taskId, deadline: day, reason: text(2000) },
      { ...closed, description: "move a task's deadline" },
    ),
    Type.Object(
      { kind: Type.Literal('change-responsibility'), planId, taskId, leads: bureauIds, partners: bureauIds },
      { ...closed, description: "replace a task's lead and partner bureaus" },
    ),
    Type.Object(
      {
        kind: Type.Literal('transfer-duty'),
        fromBureauId: registryId,
        listKind: Type.Union([Type.Literal('power'), Type.Literal('responsibility')]),
        dutyId: registryId,
        toBureauId: registryId,
        effectiveDate: day,
      },
      { ...closed, description: "move a duty from one bureau's list to another bureau" },
    ),
    Type.Object(
      { kind: Type.Literal('record-position') },
      { ...closed, description: 'the meeting stated a position; nothing is to be done' },
    ),
  ],
  { description: 'what the resolution makes happen' },
)

export const attendanceEntry = Type.Object(
  {
    bureauId,
    status: Type.Union([Type.Literal('present'), Type.Literal('absent'), Type.Literal('delegated')]),
    delegate: Type.Optional(text(200)),
  },
  closed,
)

/** A command's result, plus the id of the meeting or resolution it concerns. */
export const meetingResult = Type.Object({ ...commandResult.properties, meetingId: Type.String() })
export const resolutionResult = Type.Object({ ...commandResult.properties, resolutionId: Type.String() })
