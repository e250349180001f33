import { reorganisationStreamId, reorganisationStreamPrefix } from '@coord/events/responsibility'
import type { EventStore } from '@coord/eventstore'
import {
  Type,
  commandBody,
  commandData,
  commandResult,
  type TSchema,
  type TypedApp,
} from '@coord/service-kit'
import { reorganisationsOf, type StreamEvent } from '../as-of/as-of.ts'
import type { ReorganisationCommand } from '../domain.ts'
import { fail } from '../domain-errors.ts'
import { runReorganisationCommand, type IntentOf } from '../edge/execute.ts'
import { day, id, names, readers, reason, requestContext, writers } from '../edge/http.ts'

const ids = (min: number) => Type.Array(id, { minItems: min, maxItems: 50 })
const allocation = Type.Optional(
  Type.Record(Type.String({ minLength: 1, maxLength: 200 }), id, {
    additionalProperties: false,
    description:
      'id (duty id, or task key <planId>/<taskId>) to successor; the rest go to the first successor',
  }),
)
const common = { reorganisationId: id, effectiveDate: day, reason }

/** One route per reorganisation decision; the process manager carries each out. */
const decisions: {
  path: string
  type: Exclude<ReorganisationCommand['type'], 'CompleteReorganisation'>
  summary: string
  body: TSchema
}[] = [
  {
    path: 'merge',
    type: 'MergeBureaus',
    summary:
      'Merge bureaus into one (机构改革): they end on the effective day, their duties and open tasks move',
    body: commandBody({ ...common, fromBureauIds: ids(1), intoBureauId: id }),
  },
  {
    path: 'split',
    type: 'SplitBureau',
    summary:
      'Split a bureau into several: duties and open tasks go where the allocations say, else to the first',
    body: commandBody({
      ...common,
      fromBureauId: id,
      intoBureauIds: ids(2),
      dutyAllocation: allocation,
      taskAllocation: allocation,
    }),
  },
  {
    path: 'rename',
    type: 'RenameBureauByReorganisation',
    summary: 'Rename a bureau as part of a reorganisation',
    body: commandBody({ ...common, bureauId: id, ...names }),
  },
]

export function reorganisationRoutes(app: TypedApp, store: EventStore): void {
  for (const route of decisions) {
    app.post(
      `/reorganisations/${route.path}`,
      {
        preValidation: writers,
        schema: {
          tags: ['reorganisations'],
          summary: route.summary,
          body: route.body,
          response: { 200: commandResult },
        },
      },
      async (request) => {
        const data = commandData(request.body as { reorganisationId: string; occurredAt?: string })
        const intent = { type: route.type, data } as IntentOf<ReorganisationCommand>
        const streamId = reorganisationStreamId(data.reorganisationId)
        return runReorganisationCommand(store, streamId, intent, requestContext(request))
      },
    )
  }

  app.get(
    '/reorganisations',
    {
      preValidation: readers,
      schema: {
        tags: ['reorganisations'],
        summary: 'Every reorganisation decided, by effective date, and whether it is carried out',
      },
    },
    async () => ({ reorganisations: reorganisationsOf(await readPrefix(store, reorganisationStreamPrefix)) }),
  )

  app.get(
    '/reorganisations/:reorganisationId',
    {
      preValidation: readers,
      schema: {
        tags: ['reorganisations'],
        summary: 'One reorganisation: the decision and its completion',
        params: Type.Object({ reorganisationId: id }, { additionalProperties: false }),
      },
    },
    async (request) => {
      const { reorganisationId } = request.params
      const events = await readPrefix(store, reorganisationStreamId(reorganisationId), true)
      const found = reorganisationsOf(events)[0]
      if (!found) throw fail('REORGANISATION_NOT_FOUND', reorganisationId)
      return found
    },
  )
}

/** The events of the streams under a prefix, or of one stream. */
export async function readPrefix(store: EventStore, prefix: string, single = false): Promise<StreamEvent[]> {
  const events: StreamEvent[] = []
  const source = single ? store.readStream(prefix) : store.readAll({ filter: { streamPrefix: prefix } })
  for await (const { streamId, type, data } of source) events.push({ streamId, type, data })
  return events
}
