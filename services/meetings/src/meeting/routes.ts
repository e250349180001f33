import type { EventStore } from '@coord/eventstore'
import { meetingStreamId, meetingStreamPrefix, type MeetingEvent } from '@coord/events/meetings'
import {
  Type,
  commandBody,
  commandData,
  commandResult,
  readAggregate,
  requireRole,
  roles,
  runCommand,
  type TSchema,
  type TypedApp,
} from '@coord/service-kit'
import { meetingDecider, meetingsErrors, type JointMeeting, type MeetingCommand } from '../domain.ts'
import { attendanceEntry, day, meetingId, meetingParams, meetingResult, text } from '../schemas.ts'

// Every role may send a meeting command: the decider answers FORBIDDEN_ROLE to all but the
// secretariat, so the refusal has one source and one code, over HTTP and in the domain tests.
export const writers = requireRole(...roles)
export const readers = requireRole('planner', 'secretariat', 'supervisor', 'bureau', 'auditor')

const scheduleBody = commandBody({
  meetingId: Type.Optional({ ...meetingId, description: 'default: jm-<year of date>-<session>' }),
  session: Type.Integer({ minimum: 1, maximum: 100_000, description: 'e.g. 3 for 第三次会议' }),
  date: day,
  convener: text(200),
  agenda: Type.Array(text(1000), { maxItems: 100 }),
})

/** One route per command on an existing meeting: its path, its body, and the command it sends. */
const meetingCommands: { path: string; type: MeetingCommand['type']; summary: string; body: TSchema }[] = [
  {
    path: 'attendance',
    type: 'RecordAttendance',
    summary: 'Record who attended (出席), was absent or sent a delegate; per bureau, later entries replace',
    body: commandBody({ entries: Type.Array(attendanceEntry, { minItems: 1, maxItems: 200 }) }),
  },
  {
    path: 'minutes',
    type: 'IssueMinutes',
    summary: 'Issue the minutes (会议纪要) under their number, once',
    body: commandBody({ minutesNumber: text(100), issuedOn: day }),
  },
  {
    path: 'close',
    type: 'CloseJointMeeting',
    summary: 'Close the meeting once its minutes are issued; afterwards only corrections are recorded',
    body: commandBody({}),
  },
]

/** What the list shows of each meeting; GET /meetings/:meetingId gives the rest. */
function summary(state: Exclude<JointMeeting, { status: 'none' }>, revision: number) {
  const { meetingId, session, date, convener, status, minutes } = state
  return {
    meetingId,
    session,
    date,
    convener,
    status,
    minutes,
    resolutions: state.resolutions.length,
    revision,
  }
}

/**
 * Every meeting, folded from the meeting streams, by date. A full read of those streams: fine for
 * a district's few meetings a year; the projections serve anything larger.
 */
async function listMeetings(store: EventStore) {
  const streams = new Map<string, { state: JointMeeting; revision: number }>()
  for await (const event of store.readAll({ filter: { streamPrefix: meetingStreamPrefix } })) {
    const known = streams.get(event.streamId) ?? { state: meetingDecider.initialState, revision: 0 }
    const state = meetingDecider.evolve(known.state, { type: event.type, data: event.data } as MeetingEvent)
    streams.set(event.streamId, { state, revision: event.revision })
  }
  const meetings = [...streams.values()].flatMap(({ state, revision }) =>
    state.status === 'none' ? [] : [summary(state, revision)],
  )
  return meetings.sort((a, b) => a.date.localeCompare(b.date) || a.meetingId.localeCompare(b.meetingId))
}

export function meetingRoutes(app: TypedApp, store: EventStore): void {
  app.post(
    '',
    {
      preValidation: writers,
      schema: {
        tags: ['meetings'],
        summary: 'Schedule a joint meeting (联席会议): session, date, convener and agenda',
        body: scheduleBody,
        response: { 200: meetingResult },
      },
    },
    async (request) => {
      const { meetingId: given, ...data } = commandData(request.body)
      const meetingId = given ?? `jm-${data.date.slice(0, 4)}-${data.session}`
      const result = await runCommand(store, request, meetingStreamId(meetingId), meetingDecider, {
        type: 'ScheduleJointMeeting',
        data: { meetingId, ...data },
      })
      return { ...result, meetingId }
    },
  )

  for (const route of meetingCommands) {
    app.post(
      `/:meetingId/${route.path}`,
      {
        preValidation: writers,
        schema: {
          tags: ['meetings'],
          summary: route.summary,
          params: meetingParams,
          body: route.body,
          response: { 200: commandResult },
        },
      },
      async (request) =>
        runCommand(store, request, meetingStreamId(request.params.meetingId), meetingDecider, {
          type: route.type,
          data: commandData(request.body as Record<string, unknown>),
        } as never),
    )
  }

  app.get(
    '',
    { preValidation: readers, schema: { tags: ['meetings'], summary: 'Every joint meeting, by date' } },
    async () => ({ meetings: await listMeetings(store) }),
  )

  app.get(
    '/:meetingId',
    {
      preValidation: readers,
      schema: {
        tags: ['meetings'],
        summary:
          'The meeting as its events leave it: attendance, resolutions (current and superseded), minutes',
        params: meetingParams,
      },
    },
    async (request) =>
      readAggregate(store, meetingStreamId(request.params.meetingId), meetingDecider, () =>
        meetingsErrors.make('MEETING_NOT_FOUND', request.params.meetingId),
      ),
  )

  app.get(
    '/:meetingId/events',
    {
      preValidation: readers,
      schema: { tags: ['meetings'], summary: "The meeting's events, oldest first", params: meetingParams },
    },
    async (request) => {
      const streamId = meetingStreamId(request.params.meetingId)
      const events = []
      for await (const event of store.readStream(streamId)) events.push(event)
      if (events.length === 0) throw meetingsErrors.make('MEETING_NOT_FOUND', request.params.meetingId)
      return { streamId, events }
    },
  )
}
