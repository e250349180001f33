import type { EventStore } from '@coord/eventstore'
import { meetingStreamId } from '@coord/events/meetings'
import {
  Type,
  base64Bytes,
  documentBodyLimit,
  commandBody,
  commandData,
  commandResult,
  kitErrors,
  readAggregate,
  runCommand,
  type TypedApp,
} from '@coord/service-kit'
import { findResolution, meetingDecider, meetingsErrors, proposeResolutions, readMinutes } from '../domain.ts'
import { requireSecretariat } from '../domain-errors.ts'
import { writers } from '../meeting/routes.ts'
import { effect, meetingParams, planId, resolutionParams, resolutionResult, text } from '../schemas.ts'

const adoptBody = commandBody({ text: text(5000), effect })
const correctBody = commandBody({ text: text(5000), effect, reason: text(2000) })

// Reading minutes records nothing, so the body has no revision or business time to carry.
const proposalsBody = Type.Object(
  {
    text: Type.Optional(
      Type.String({ minLength: 1, maxLength: 700_000, description: 'the minutes as UTF-8 text' }),
    ),
    contentBase64: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 1_000_000,
        description: 'the file as published, any encoding (GBK too)',
      }),
    ),
    planId: { ...planId, description: 'the plan the proposed work belongs to' },
  },
  { additionalProperties: false },
)

const nullableText = Type.Union([Type.String(), Type.Null()])
const proposalsResult = Type.Object({
  meetingId: Type.String(),
  planId: Type.String(),
  minutes: Type.Object({ title: Type.String(), minutesNumber: nullableText, issuedOn: nullableText }),
  proposals: Type.Array(
    Type.Object({
      item: Type.String(),
      text: Type.String(),
      effect: Type.Object({
        kind: Type.Literal('assign-work'),
        planId: Type.String(),
        title: Type.String(),
        leads: Type.Array(Type.String()),
        partners: Type.Array(Type.String()),
        deadline: nullableText,
      }),
      warnings: Type.Array(Type.String()),
    }),
  ),
})

const notFound = (meetingId: string) => () => meetingsErrors.make('MEETING_NOT_FOUND', meetingId)

export function resolutionRoutes(app: TypedApp, store: EventStore): void {
  app.post(
    '/:meetingId/resolutions',
    {
      preValidation: writers,
      schema: {
        tags: ['resolutions'],
        summary: 'Adopt a resolution (议定事项); it is numbered R1, R2… and never edited afterwards',
        params: meetingParams,
        body: adoptBody,
        response: { 200: resolutionResult },
      },
    },
    async (request) => {
      const streamId = meetingStreamId(request.params.meetingId)
      const data = commandData(request.body)
      const result = await runCommand(store, request, streamId, meetingDecider, {
        type: 'AdoptResolution',
        data,
      })
      // The id the decider gave it, or the one a retry found: resolutions are never removed.
      const { state } = await readAggregate(
        store,
        streamId,
        meetingDecider,
        notFound(request.params.meetingId),
      )
      const adopted = state.status === 'none' ? undefined : findResolution(state, data.text, data.effect)
      if (adopted === undefined) throw new Error(`the adopted resolution is missing from ${streamId}`)
      return { ...result, resolutionId: adopted.resolutionId }
    },
  )

  app.post(
    '/:meetingId/resolutions/:resolutionId/corrections',
    {
      preValidation: writers,
      schema: {
        tags: ['resolutions'],
        summary: 'Correct a resolution, with a reason: a new version supersedes the current one',
        params: resolutionParams,
        body: correctBody,
        response: { 200: commandResult },
      },
    },
    async (request) => {
      const { meetingId, resolutionId } = request.params
      return runCommand(store, request, meetingStreamId(meetingId), meetingDecider, {
        type: 'CorrectResolution',
        data: { resolutionId, ...commandData(request.body) },
      })
    },
  )

  app.post(
    '/:meetingId/minutes/proposals',
    {
      bodyLimit: documentBodyLimit,
      preValidation: writers,
      schema: {
        tags: ['resolutions'],
        summary: 'Read minutes text into proposed resolutions; records nothing (adopt each to confirm it)',
        params: meetingParams,
        body: proposalsBody,
        response: { 200: proposalsResult },
      },
    },
    async (request) => {
      if (request.actor === null) throw kitErrors.make('UNAUTHORIZED')
      requireSecretariat(request.actor, 'read minutes into resolutions')
      const { text, contentBase64, planId } = request.body
      if ((text === undefined) === (contentBase64 === undefined)) {
        throw kitErrors.make('BAD_REQUEST', 'give exactly one of text and contentBase64')
      }
      const { meetingId } = request.params
      await readAggregate(store, meetingStreamId(meetingId), meetingDecider, notFound(meetingId))
      const bytes =
        text !== undefined ? Buffer.from(text, 'utf8') : base64Bytes(contentBase64 ?? '', 'contentBase64')
      const { parsed, header } = readMinutes(bytes)
      return { meetingId, planId, minutes: header, proposals: proposeResolutions(parsed, planId) }
    },
  )
}
