import t, { type Test } from 'tap'
import { commandRoutes } from './command-routes.ts'
import {
  expiredToken,
  foreignToken,
  given,
  isError,
  newIds,
  openApi,
  snapshot,
  writesNothing,
  type Call,
} from './harness.ts'

// Every command route, generated from one table: bad input is a 400 naming the field, a missing
// or bad token a 401, the wrong actor a 403, and none of them writes anything.

const api = await openApi(t)

for (const route of commandRoutes) {
  t.test(`${route.name} refuses bad requests and writes nothing`, async (t) => {
    const ids = newIds()
    await given(api, ids, route.given)
    const url = route.url(ids)
    const streamId = route.stream(ids)
    const body = route.body(ids)
    const before = await snapshot(api.store, streamId)

    const refused = async (t: Test, call: Call, status: number, error: string, fields: object = {}) => {
      const res = await api.post(url, { as: route.as, body, ...call })
      isError(t, res, status, error, fields)
      await writesNothing(t, api.store, streamId, before)
      return res
    }

    t.test('an unknown body field is refused with 400 naming it', async (t) => {
      await refused(t, { body: { ...body, colour: 'red' } }, 400, 'BAD_REQUEST', {
        field: 'colour',
        message: "unknown field 'colour'",
      })
    })

    // Text no event can hold (jsonb keeps neither NUL nor a lone surrogate) is named, not stored.
    // Free text only: a day or an id has a pattern that refuses it first; an import's text is a
    // document, which the importer reads (a NUL makes it binary).
    const [textField] =
      Object.entries(body).find(([, value]) => typeof value === 'string' && !/^\d{4}-\d{2}/.test(value)) ?? []
    if (textField !== undefined && !route.name.includes('/import')) {
      t.test(`a NUL or a lone surrogate in ${textField} is refused with 400 naming it`, async (t) => {
        for (const [bad, problem] of [
          ['a\u0000b', 'a NUL character'],
          ['a\ud800b', 'a lone UTF-16 surrogate'],
        ] as const) {
          await refused(t, { body: { ...body, [textField]: bad } }, 400, 'BAD_REQUEST', {
            message: new RegExp(`field '${textField}' contains ${problem}`),
          })
        }
      })
    }

    const { patch, field } = route.wrongType
    t.test(`a field of the wrong type (${field}) is refused with 400 naming it`, async (t) => {
      await refused(t, { body: { ...body, ...patch } }, 400, 'BAD_REQUEST', { field })
    })

    for (const missing of route.required) {
      t.test(`a body without the required field ${missing} is refused with 400 naming it`, async (t) => {
        const { [missing]: _dropped, ...rest } = body
        await refused(t, { body: rest }, 400, 'BAD_REQUEST', {
          field: missing,
          message: `missing required field '${missing}'`,
        })
      })
    }

    if (route.required.length > 0) {
      t.test('a request with no body at all is refused with 400 naming a required field', async (t) => {
        await refused(t, { body: undefined }, 400, 'BAD_REQUEST', { field: route.required[0] })
      })
      t.test('a JSON request with an empty body is refused with 400', async (t) => {
        await refused(t, { body: '', headers: { 'content-type': 'application/json' } }, 400, 'BAD_REQUEST')
      })
    }

    t.test('a malformed If-Match is refused with 400 naming the header', async (t) => {
      for (const ifMatch of ['W/"0"', '*', '"three"', '"-1"']) {
        await refused(t, { headers: { 'if-match': ifMatch } }, 400, 'BAD_REQUEST', { field: 'If-Match' })
      }
    })

    t.test('an If-Match that disagrees with the body expectedRevision is refused with 400', async (t) => {
      const revision = before.revision
      await refused(
        t,
        { body: { ...body, expectedRevision: revision + 1 }, headers: { 'if-match': `"${revision}"` } },
        400,
        'BAD_REQUEST',
        { field: 'expectedRevision' },
      )
    })

    t.test('a malformed Idempotency-Key is refused with 400 naming the header', async (t) => {
      await refused(t, { headers: { 'idempotency-key': 'has spaces' } }, 400, 'BAD_REQUEST', {
        field: 'Idempotency-Key',
      })
    })

    t.test('a request without a token gets 401 with a Bearer challenge', async (t) => {
      const res = await refused(t, { as: null }, 401, 'UNAUTHORIZED')
      t.equal(res.headers['www-authenticate'], 'Bearer')
    })

    t.test('a garbage token gets 401', async (t) => {
      await refused(t, { authorization: 'Bearer not.a.token' }, 401, 'UNAUTHORIZED')
      await refused(t, { authorization: 'Basic cGxhbm5lcjpwYXNz' }, 401, 'UNAUTHORIZED')
    })

    t.test(`an expired ${route.as} token gets 401`, async (t) => {
      await refused(t, { authorization: expiredToken(route.as) }, 401, 'UNAUTHORIZED', { message: /expired/ })
    })

    t.test(`a ${route.as} token signed with another key gets 401`, async (t) => {
      await refused(t, { authorization: foreignToken(route.as) }, 401, 'UNAUTHORIZED')
    })

    for (const refusal of route.refusals) {
      t.test(`${refusal.why} gets 403 ${refusal.error}`, async (t) => {
        await refused(t, { as: refusal.as }, 403, refusal.error)
      })
    }
  })
}
