import {
  bureauStreamId,
  bureauStreamPrefix,
  dutyListStreamId,
  dutyListStreamPrefix,
  listKinds,
} from '@coord/events/responsibility'
import type { EventStore } from '@coord/eventstore'
import { Type, type TypedApp } from '@coord/service-kit'
import { fail } from '../domain-errors.ts'
import { asOfDay, asOfQuery, bureauParams, day, id, listKind, readers } from '../edge/http.ts'
import { readPrefix } from '../reorganisation/routes.ts'
import { bureauOn, dutiesOn, foldResponsibility, holderOn, responsibleOn } from './as-of.ts'

// Reads fold the streams they need on each request; read-model projections come later.

export function asOfRoutes(app: TypedApp, store: EventStore): void {
  app.get(
    '/bureaus',
    {
      preValidation: readers,
      schema: {
        tags: ['as of a day'],
        summary: 'Every bureau that existed on the day (default today), with its name and duties then',
        querystring: asOfQuery,
      },
    },
    async (request) => {
      const asOf = asOfDay(request.query.asOf)
      const events = [
        ...(await readPrefix(store, bureauStreamPrefix)),
        ...(await readPrefix(store, dutyListStreamPrefix)),
      ]
      return { asOf, bureaus: responsibleOn(events, asOf) }
    },
  )

  app.get(
    '/bureaus/:bureauId',
    {
      preValidation: readers,
      schema: {
        tags: ['as of a day'],
        summary: 'The bureau as it was on the day: its name then, or dissolved with its successors',
        params: bureauParams,
        querystring: asOfQuery,
      },
    },
    async (request) => {
      const { bureauId } = request.params
      const asOf = asOfDay(request.query.asOf)
      const bureau = bureauOn(await readPrefix(store, bureauStreamId(bureauId), true), bureauId, asOf)
      if (!bureau) throw fail('BUREAU_NOT_FOUND', `${bureauId} on ${asOf}`)
      return { asOf, bureau }
    },
  )

  app.get(
    '/bureaus/:bureauId/duties',
    {
      preValidation: readers,
      schema: {
        tags: ['as of a day'],
        summary: "The duties on the bureau's lists on the day (one list with listKind)",
        params: bureauParams,
        querystring: Type.Object(
          { asOf: Type.Optional(day), listKind: Type.Optional(listKind) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const { bureauId } = request.params
      const asOf = asOfDay(request.query.asOf)
      const kinds = request.query.listKind ? [request.query.listKind] : [...listKinds]
      const streams = [bureauStreamId(bureauId), ...kinds.map((kind) => dutyListStreamId(bureauId, kind))]
      const events = (await Promise.all(streams.map((s) => readPrefix(store, s, true)))).flat()
      const { bureaus, lists } = foldResponsibility(events)
      if (!bureaus.has(bureauId)) throw fail('BUREAU_NOT_FOUND', bureauId)
      const duties = Object.fromEntries(
        kinds.map((kind) => [kind, dutiesOn(lists.get(dutyListStreamId(bureauId, kind)), asOf)]),
      )
      return { asOf, bureauId, duties }
    },
  )

  app.get(
    '/duties/:dutyId',
    {
      preValidation: readers,
      schema: {
        tags: ['as of a day'],
        summary: 'Which bureau held the duty on the day, and what it said then',
        params: Type.Object({ dutyId: id }, { additionalProperties: false }),
        querystring: asOfQuery,
      },
    },
    async (request) => {
      const { dutyId } = request.params
      const asOf = asOfDay(request.query.asOf)
      const holder = holderOn(await readPrefix(store, dutyListStreamPrefix), dutyId, asOf)
      if (!holder) throw fail('DUTY_NOT_FOUND', `${dutyId} is on no list on ${asOf}`)
      return { asOf, ...holder }
    },
  )
}
