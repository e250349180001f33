import { bureauStreamId } from '@coord/events/responsibility'
import type { EventStore } from '@coord/eventstore'
import { Type, commandBody, commandData, commandResult, type TypedApp } from '@coord/service-kit'
import { runBureauCommand } from '../edge/execute.ts'
import { bureauKind, bureauParams, day, id, names, reason, requestContext, writers } from '../edge/http.ts'

const registerBody = commandBody({
  bureauId: id,
  ...names,
  kind: bureauKind,
  parentId: Type.Optional(Type.Union([id, Type.Null()])),
  effectiveDate: day,
})

const renameBody = commandBody({ ...names, effectiveDate: day, reason })

export function bureauRoutes(app: TypedApp, store: EventStore): void {
  app.post(
    '/bureaus',
    {
      preValidation: writers,
      schema: {
        tags: ['bureaus'],
        summary: 'Register a bureau (委办局, 街镇, 开发区管委会 or 直属公司) from the day it exists',
        body: registerBody,
        response: { 200: commandResult },
      },
    },
    async (request) => {
      const { parentId, ...data } = commandData(request.body)
      const intent = { type: 'RegisterBureau' as const, data: { ...data, parentId: parentId ?? null } }
      return runBureauCommand(store, bureauStreamId(data.bureauId), intent, requestContext(request))
    },
  )

  app.post(
    '/bureaus/:bureauId/rename',
    {
      preValidation: writers,
      schema: {
        tags: ['bureaus'],
        summary: 'Rename a bureau from a day on, with a reason; earlier days keep the old name',
        params: bureauParams,
        body: renameBody,
        response: { 200: commandResult },
      },
    },
    async (request) => {
      const intent = { type: 'RenameBureau' as const, data: commandData(request.body) }
      return runBureauCommand(store, bureauStreamId(request.params.bureauId), intent, requestContext(request))
    },
  )
}
