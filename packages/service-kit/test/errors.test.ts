import { Writable } from 'node:stream'
import { DomainError } from '@coord/domain'
import { EventStoreError, WrongExpectedRevision } from '@coord/eventstore'
import t from 'tap'
import { bodyLimit, createApp, kitErrors } from '../src/index.ts'
import { testConfig } from './helpers.ts'

const config = testConfig()

const thingSchema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1 },
    count: { type: 'integer' },
    kind: { anyOf: [{ const: '委办局' }, { const: '街镇' }] },
    size: { type: 'string', enum: ['small', 'large'] },
    owner: {
      type: 'object',
      additionalProperties: false,
      properties: { bureauId: { type: 'string' } },
    },
  },
}

/** An app whose routes raise each kind of error, and the log lines it wrote. */
async function buildApp(t: { teardown(fn: () => unknown): void }) {
  const lines: Record<string, unknown>[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>)
      done()
    },
  })
  const app = createApp({ config, logger: { stream, level: 'info' } })
  app.post('/things', { schema: { body: thingSchema } }, async (request) => request.body)
  app.get(
    '/page',
    { schema: { querystring: { type: 'object', properties: { limit: { type: 'integer' } } } } },
    async (request) => request.query,
  )
  const raise: Record<string, () => Error> = {
    domain: () => new DomainError('TASK_CLOSED', 'the task is closed', 409, { taskId: '三.(二).7' }),
    catalogue: () => kitErrors.make('FORBIDDEN', 'only the lead bureau'),
    revision: () => new WrongExpectedRevision('task-1', 3, 5),
    reused: () => new EventStoreError('IDEMPOTENCY_KEY_REUSED', 'key k'),
    unavailable: () => new EventStoreError('STORE_UNAVAILABLE', 'connect ECONNREFUSED'),
    closed: () => new EventStoreError('STORE_CLOSED'),
    'bad-stream': () => new EventStoreError('INVALID_STREAM_ID', 'it is empty'),
    'bad-event': () => new EventStoreError('INVALID_EVENT', 'event 0: its type is missing'),
    jwt: () =>
      Object.assign(new Error('Authorization token expired'), {
        code: 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED',
      }),
    plain: () => new Error('password=hunter2 at db.internal'),
    'status-looking': () => Object.assign(new Error('teapot internals'), { statusCode: 418 }),
  }
  app.get<{ Params: { kind: string } }>('/raise/:kind', async (request) => {
    const make = raise[request.params.kind] ?? (() => new Error('unknown kind'))
    throw make()
  })
  app.get('/log-headers', async (request) => {
    request.log.info({ headers: request.headers }, 'headers')
    return {}
  })
  t.teardown(() => app.close())
  await app.ready()
  return { app, lines }
}

const post = (payload: unknown) => ({
  method: 'POST' as const,
  url: '/things',
  headers: { 'content-type': 'application/json' },
  payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
})

t.test('an unknown body field is rejected with 400 naming it', async (t) => {
  const { app } = await buildApp(t)
  const res = await app.inject(post({ name: 'x', colour: 'red' }))
  t.equal(res.statusCode, 400)
  t.same(res.json(), { error: 'BAD_REQUEST', message: "unknown field 'colour'", field: 'colour' })
  const nested = await app.inject(post({ name: 'x', owner: { bureauId: 'b', extra: 1 } }))
  t.same(nested.json(), {
    error: 'BAD_REQUEST',
    message: "unknown field 'owner.extra'",
    field: 'owner.extra',
  })
})

t.test('other validation errors name the field, and body types are not coerced', async (t) => {
  const { app } = await buildApp(t)
  const missing = await app.inject(post({}))
  t.same(missing.json(), { error: 'BAD_REQUEST', message: "missing required field 'name'", field: 'name' })
  const coerced = await app.inject(post({ name: 'x', count: '3' }))
  t.equal(coerced.statusCode, 400, 'a string is not an integer in a JSON body')
  t.same(coerced.json(), { error: 'BAD_REQUEST', message: "field 'count' must be integer", field: 'count' })
  // A choice of values names them (a union of literals, or an enum).
  const kind = await app.inject(post({ name: 'x', kind: '局' }))
  t.same(kind.json(), {
    error: 'BAD_REQUEST',
    message: "field 'kind' must be one of 委办局, 街镇",
    field: 'kind',
  })
  const size = await app.inject(post({ name: 'x', size: 'huge' }))
  t.same(size.json(), {
    error: 'BAD_REQUEST',
    message: "field 'size' must be one of small, large",
    field: 'size',
  })
  const notObject = await app.inject(post([1, 2]))
  t.same(notObject.json(), { error: 'BAD_REQUEST', message: 'body must be object', field: null })
  const ok = await app.inject(post({ name: 'x', count: 3 }))
  t.same(ok.json(), { name: 'x', count: 3 })
})

t.test('querystring values are still coerced from text', async (t) => {
  const { app } = await buildApp(t)
  t.same((await app.inject({ url: '/page?limit=5' })).json(), { limit: 5 })
  const bad = await app.inject({ url: '/page?limit=many' })
  t.same(bad.json(), {
    error: 'BAD_REQUEST',
    message: "querystring field 'limit' must be integer",
    field: 'limit',
  })
})

t.test("Fastify's own 4xx keep their status with a clean body", async (t) => {
  const { app } = await buildApp(t)
  const badJson = await app.inject(post('{"name": "x",'))
  t.equal(badJson.statusCode, 400)
  t.equal(badJson.json().error, 'BAD_REQUEST')
  const empty = await app.inject(post(''))
  t.equal(empty.statusCode, 400)
  const tooLarge = await app.inject(post({ name: 'x'.repeat(bodyLimit) }))
  t.equal(tooLarge.statusCode, 413)
  t.same(tooLarge.json(), { error: 'PAYLOAD_TOO_LARGE', message: 'the request body is larger than 1 MiB' })
  for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
    const res = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': type },
      payload: 'hi',
    })
    t.equal(res.statusCode, 415, type)
    t.same(res.json(), {
      error: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'the request body must be application/json',
    })
  }
  const missing = await app.inject({ url: '/nowhere' })
  t.equal(missing.statusCode, 404)
  t.same(missing.json(), { error: 'NOT_FOUND', message: 'no route for GET /nowhere' })
  const proto = await app.inject(post('{"name":"x","__proto__":{"admin":true}}'))
  t.equal(proto.statusCode, 400, 'prototype poisoning is refused')
})

t.test("the router's refusals of a malformed URL answer in the same shape", async (t) => {
  const { app, lines } = await buildApp(t)
  const badEscape = await app.inject({ url: '/raise/%ZZ' })
  t.equal(badEscape.statusCode, 400)
  t.same(Object.keys(badEscape.json()).sort(), ['error', 'message'])
  t.equal(badEscape.json().error, 'BAD_REQUEST')
  t.match(badEscape.json().message, /not a valid url component/)
  const cutUtf8 = await app.inject({ url: '/raise/%E0%A4%A' })
  t.equal(cutUtf8.statusCode, 400)
  t.equal(cutUtf8.json().error, 'BAD_REQUEST')
  const longParam = await app.inject({ url: `/raise/${'x'.repeat(500)}` })
  t.equal(longParam.statusCode, 400, 'an overlong path parameter is a malformed request, not a 414')
  t.equal(longParam.json().error, 'BAD_REQUEST')
  t.match(longParam.json().message, /max param length/)
  t.ok(badEscape.headers['x-request-id'], 'with a request id like every answer')
  t.ok(
    lines.some((line) => line.msg === `request rejected: ${badEscape.json().message}`),
    'logged as a rejected request',
  )
})

t.test('domain and store errors map to their documented answers', async (t) => {
  const { app } = await buildApp(t)
  const get = async (kind: string) => app.inject({ url: `/raise/${kind}` })
  const domain = await get('domain')
  t.equal(domain.statusCode, 409)
  t.same(domain.json(), {
    error: 'TASK_CLOSED',
    message: 'the task is closed',
    details: { taskId: '三.(二).7' },
  })
  const catalogue = await get('catalogue')
  t.equal(catalogue.statusCode, 403)
  t.equal(catalogue.json().message, 'your role may not do this: only the lead bureau')
  const revision = await get('revision')
  t.equal(revision.statusCode, 409)
  t.match(revision.json(), { error: 'REVISION_CONFLICT', expected: 3, actual: 5 })
  const reused = await get('reused')
  t.equal(reused.statusCode, 422)
  t.equal(reused.json().error, 'IDEMPOTENCY_KEY_REUSED')
  for (const kind of ['unavailable', 'closed']) {
    const res = await get(kind)
    t.equal(res.statusCode, 503, kind)
    t.equal(res.headers['retry-after'], '5', kind)
    t.equal(res.json().error, 'SERVICE_UNAVAILABLE', kind)
    t.notMatch(res.body, /ECONNREFUSED/, 'the cause stays in the log')
  }
  for (const kind of ['bad-stream', 'bad-event']) {
    const res = await get(kind)
    t.equal(res.statusCode, 400, kind)
    t.equal(res.json().error, 'BAD_REQUEST', kind)
  }
  const jwt = await get('jwt')
  t.equal(jwt.statusCode, 401)
  t.same(jwt.json(), {
    error: 'UNAUTHORIZED',
    message: 'a valid bearer token is required: Authorization token expired',
  })
})

t.test('an unexpected error is a 500 that leaks nothing and is logged under err', async (t) => {
  const { app, lines } = await buildApp(t)
  for (const kind of ['plain', 'status-looking']) {
    const res = await app.inject({ url: `/raise/${kind}`, headers: { 'x-request-id': `req-${kind}` } })
    t.equal(res.statusCode, 500, kind)
    t.same(res.json(), { error: 'INTERNAL', message: 'internal error' })
    const logged = lines.find((l) => l.reqId === `req-${kind}` && l.msg === 'request failed')
    t.match(logged, { level: 50, err: { type: 'Error', stack: /Error/ } }, `${kind} is logged`)
  }
  const plain = lines.find((l) => l.reqId === 'req-plain' && l.msg === 'request failed')
  t.match(plain, { err: { message: 'password=hunter2 at db.internal' } })
})

t.test('request ids: a sane incoming x-request-id is kept, anything else replaced', async (t) => {
  const { app } = await buildApp(t)
  const kept = await app.inject({ url: '/nowhere', headers: { 'x-request-id': 'gw-42.a:b_c' } })
  t.equal(kept.headers['x-request-id'], 'gw-42.a:b_c')
  for (const bad of ['has space', 'x'.repeat(129), '<script>', '']) {
    const res = await app.inject({ url: '/nowhere', headers: { 'x-request-id': bad } })
    t.match(res.headers['x-request-id'], /^[0-9a-f-]{36}$/, JSON.stringify(bad.slice(0, 10)))
  }
})

t.test('credentials are redacted from the log', async (t) => {
  const { app, lines } = await buildApp(t)
  await app.inject({ url: '/log-headers', headers: { authorization: 'Bearer abc.def.ghi', cookie: 'sid=1' } })
  const logged = lines.find((l) => l.msg === 'headers') as { headers: Record<string, string> }
  t.equal(logged.headers.authorization, '[redacted]')
  t.equal(logged.headers.cookie, '[redacted]')
  t.notMatch(JSON.stringify(lines), /abc\.def\.ghi/)
})

t.test('a body schema that leaves unknown fields open does not register', async (t) => {
  const app = createApp({ config, logger: false })
  t.teardown(() => app.close())
  const open = {
    type: 'object',
    properties: { name: { type: 'string' }, meta: { type: 'object', properties: {} } },
  }
  t.throws(
    () => app.post('/open', { schema: { body: open } }, async () => ({})),
    /route POST \/open: body, body\.meta must set additionalProperties/,
  )
  app.post('/free', { schema: { body: { type: 'object', additionalProperties: true } } }, async () => ({}))
  await app.ready()
})
