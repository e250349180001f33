import { dutyListStreamId } from '@coord/events/responsibility'
import type { EventStore } from '@coord/eventstore'
import {
  Type,
  commandBody,
  commandData,
  commandResult,
  type TSchema,
  type TypedApp,
} from '@coord/service-kit'
import type { DutyListCommand } from '../domain.ts'
import { runListCommand, type IntentOf } from '../edge/execute.ts'
import {
  day,
  dutyContent,
  dutyParams,
  id,
  listParams,
  reason,
  requestContext,
  writers,
} from '../edge/http.ts'
import { transferDuty } from './transfer.ts'

const duty = Type.Object({ dutyId: id, ...dutyContent }, { additionalProperties: false })

type DutyParams = { bureauId: string; listKind: 'power' | 'responsibility'; dutyId: string }
type Body = Record<string, unknown>

/** One route per command on a duty of a list: its path, body, and the command it sends. */
const dutyCommands: {
  path: string
  summary: string
  body: TSchema
  intent: (params: DutyParams, body: Body) => IntentOf<DutyListCommand>
}[] = [
  {
    path: 'amend',
    summary: 'Amend a duty from a day on, with a reason; give the fields that change',
    body: commandBody({
      title: Type.Optional(dutyContent.title),
      category: Type.Optional(dutyContent.category),
      legalBasis: Type.Optional(dutyContent.legalBasis),
      effectiveDate: day,
      reason,
    }),
    intent: ({ dutyId }, { effectiveDate, reason, ...changes }) =>
      ({ type: 'AmendDuty', data: { dutyId, changes, effectiveDate, reason } }) as IntentOf<DutyListCommand>,
  },
  {
    path: 'revoke',
    summary: 'Revoke a duty from a day on, with a reason',
    body: commandBody({ effectiveDate: day, reason }),
    intent: ({ dutyId }, body) =>
      ({ type: 'RevokeDuty', data: { dutyId, ...body } }) as IntentOf<DutyListCommand>,
  },
]

export function dutyRoutes(app: TypedApp, store: EventStore): void {
  app.post(
    '/bureaus/:bureauId/lists/:listKind',
    {
      preValidation: writers,
      schema: {
        tags: ['duties'],
        summary:
          'Publish the power (权力清单) or responsibility (责任清单) list: the whole list from a day on',
        params: listParams,
        body: commandBody({ effectiveDate: day, reason, duties: Type.Array(duty, { maxItems: 2000 }) }),
        response: { 200: commandResult },
      },
    },
    async (request) => {
      const { bureauId, listKind } = request.params
      const data = { bureauId, listKind, ...commandData(request.body) }
      const streamId = dutyListStreamId(bureauId, listKind)
      return runListCommand(store, streamId, { type: 'PublishList', data }, requestContext(request))
    },
  )

  app.post(
    '/bureaus/:bureauId/lists/:listKind/duties',
    {
      preValidation: writers,
      schema: {
        tags: ['duties'],
        summary: 'Add a duty to a published list from a day on, with a reason',
        params: listParams,
        body: commandBody({ dutyId: id, ...dutyContent, effectiveDate: day, reason }),
        response: { 200: commandResult },
      },
    },
    async (request) => {
      const { bureauId, listKind } = request.params
      const intent = { type: 'AddDuty' as const, data: commandData(request.body) }
      return runListCommand(store, dutyListStreamId(bureauId, listKind), intent, requestContext(request))
    },
  )

  for (const route of dutyCommands) {
    app.post(
      `/bureaus/:bureauId/lists/:listKind/duties/:dutyId/${route.path}`,
      {
        preValidation: writers,
        schema: {
          tags: ['duties'],
          summary: route.summary,
          params: dutyParams,
          body: route.body,
          response: { 200: commandResult },
        },
      },
      async (request) => {
        const { bureauId, listKind } = request.params
        const intent = route.intent(request.params, commandData(request.body as Body))
        return runListCommand(store, dutyListStreamId(bureauId, listKind), intent, requestContext(request))
      },
    )
  }

  app.post(
    '/bureaus/:bureauId/lists/:listKind/duties/:dutyId/transfer',
    {
      preValidation: writers,
      schema: {
        tags: ['duties'],
        summary: "Transfer a duty to another bureau's list of the same kind from a day on, with a reason",
        params: dutyParams,
        body: commandBody({ toBureauId: id, effectiveDate: day, reason }),
        response: { 200: Type.Object({ ...commandResult.properties, received: commandResult }) },
      },
    },
    async (request) => transferDuty(store, request, request.params, commandData(request.body)),
  )
}
