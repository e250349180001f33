import t from 'tap'
import { loadConfig, signToken } from '@coord/service-kit'
import { waitForHeader } from '../src/index.ts'
import { own, planId, recordHistory, taskId } from './fixtures/history.ts'
import { gatewayHarness, tokenOf } from './helpers.ts'

// What the gateway refuses, and how: every client mistake is a 4xx with a code, checked before
// anything executes; the IDE serves only its own files; waitFor holds a query for a position.

const h = await gatewayHarness(t)
await recordHistory(h.append)
await h.caughtUp()

const codeOf = (answer: { body: { errors?: { extensions?: { code?: string } }[] } }) =>
  answer.body.errors?.[0]?.extensions?.code

/** Ten fields deep, or eleven with `deeper` (the lists keep the estimated cost within bounds). */
const nested = (deeper: boolean) => `{ bureauAccountability(bureauId: "${own}") { tasks { task { basis {
  ... on ResolutionBasis { meeting { resolutions { tasks { ${
    deeper
      ? 'basis { ... on ResolutionBasis { meeting { resolutions { resolutionId } } } }'
      : 'plan { period { from } }'
  } } } } } } } } } }`

t.test('a missing or invalid token is a 401 UNAUTHENTICATED and nothing runs', async (t) => {
  for (const headers of [
    {},
    { authorization: 'Bearer not-a-token' },
    { authorization: `Basic ${tokenOf('auditor')}` },
  ]) {
    const answer = await h.app.inject({
      method: 'POST',
      url: '/graphql',
      headers,
      payload: { query: '{ meetings { meetingId } }' },
    })
    t.equal(answer.statusCode, 401)
    t.match(answer.json(), { data: null, errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] })
  }
})

t.test('documents too deep, too costly or with too many aliases are 400s with their own codes', async (t) => {
  t.equal((await h.query('auditor', nested(false))).status, 200, 'depth 10 is fine')
  const deep = await h.query('auditor', nested(true))
  t.equal(deep.status, 400)
  t.equal(codeOf(deep), 'QUERY_TOO_DEEP')

  const costly = await h.query(
    'auditor',
    `{ meetings { resolutions { tasks { leadBureaus { nameZh } partnerBureaus { nameZh } plan { title }
      basis { ... on ResolutionBasis { meeting { resolutions { tasks { leadBureaus { nameZh } } } } } } } } } }`,
  )
  t.equal(costly.status, 400)
  t.equal(codeOf(costly), 'QUERY_TOO_COSTLY')
  const pages = await h.query(
    'auditor',
    `{ planTimeline(planId: "${planId}", first: 500) { entries { actor { role } } } }`,
  )
  t.equal(pages.status, 200, 'a full page is within the budget')

  const aliases = Array.from({ length: 51 }, (_, i) => `a${i}: __typename`).join(' ')
  const aliased = await h.query('auditor', `{ ${aliases} }`)
  t.equal(aliased.status, 400)
  t.equal(codeOf(aliased), 'TOO_MANY_ALIASES')
})

t.test('10,000 aliases and a 1 MiB document are refused before they are parsed or read whole', async (t) => {
  const many = Array.from({ length: 10_000 }, (_, i) => `a${i}: meetings { meetingId }`).join(' ')
  const huge = await h.query('auditor', `{ ${many} }`.slice(0, 120_000))
  t.equal(huge.status, 400)
  t.equal(codeOf(huge), 'QUERY_TOO_LARGE')
  const mebibyte = `{ meetings { meetingId } }${' '.repeat(1024 * 1024)}`
  const big = await h.query('auditor', mebibyte)
  t.equal(big.status, 413)
  t.equal(codeOf(big), 'PAYLOAD_TOO_LARGE')
})

t.test('regression: a subscription sent over HTTP is a 400 SUBSCRIPTION_OVER_HTTP, not a 500', async (t) => {
  const subscription = `subscription { taskEvents(bureauId: "${own}") { type } }`
  for (let run = 1; run <= 2; run++) {
    const posted = await h.query('bureau', subscription)
    t.equal(posted.status, 400, `POST, run ${run}`)
    t.match(posted.body, {
      data: null,
      errors: [{ message: /served over WebSocket/, extensions: { code: 'SUBSCRIPTION_OVER_HTTP' } }],
    })
  }
  const got = await h.app.inject({
    method: 'GET',
    url: `/graphql?query=${encodeURIComponent(subscription)}`,
    headers: { authorization: `Bearer ${tokenOf('bureau')}` },
  })
  t.equal(got.statusCode, 400)
  t.equal(codeOf({ body: got.json() }), 'SUBSCRIPTION_OVER_HTTP')
})

t.test('regression: 450 fragments each spreading the next twice are a 400 QUERY_TOO_COSTLY', async (t) => {
  let fragments = ''
  for (let i = 1; i < 450; i++) fragments += `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }\n`
  const answer = await h.query('foreign', `{ ...F1 }\nfragment F450 on Query { __typename }\n${fragments}`)
  t.equal(answer.status, 400)
  t.equal(codeOf(answer), 'QUERY_TOO_COSTLY')
})

t.test('batches, unknown body fields, bad syntax, unknown fields and bad variables are 400s', async (t) => {
  const headers = { authorization: `Bearer ${tokenOf('auditor')}`, 'content-type': 'application/json' }
  const post = (payload: string) => h.app.inject({ method: 'POST', url: '/graphql', headers, payload })
  const batch = await post(
    JSON.stringify([{ query: '{ meetings { meetingId } }' }, { query: '{ meetings { date } }' }]),
  )
  t.equal(batch.statusCode, 400)
  t.match(batch.json(), { errors: [{ extensions: { code: 'BATCHED_QUERIES_NOT_ALLOWED' } }] })
  const unknown = await post(JSON.stringify({ query: '{ meetings { meetingId } }', colour: 'red' }))
  t.equal(unknown.statusCode, 400)
  t.match(unknown.json(), {
    errors: [{ message: /unknown field 'colour'/, extensions: { code: 'BAD_USER_INPUT' } }],
  })
  for (const payload of ['null', '"{ meetings { meetingId } }"', '7', '']) {
    const notAnObject = await post(payload)
    t.equal(notAnObject.statusCode, 400, `a body of ${payload || 'nothing'} is a 400, not a 500`)
    t.match(notAnObject.json(), { errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] })
  }
  for (const [query, variables] of [
    ['{ meetings { meetingId ', undefined],
    ['{ meetings { colour } }', undefined],
    ['query($n: Int) { planTimeline(planId: "p", first: $n) { next } }', { n: 'ten' }],
  ] as const) {
    const answer = await h.query('auditor', query, variables)
    t.equal(answer.status, 400, query)
    t.equal(codeOf(answer), 'BAD_USER_INPUT')
  }
  const badDay = await h.query('auditor', `{ planTree(planId: "${planId}", today: "2018-13-45") { today } }`)
  t.equal(codeOf(badDay), 'INVALID_QUERY', 'the read model’s own argument check')
  t.equal(badDay.status, 200, 'a nullable field failing leaves the answer a 200 with its error')
  const badPage = await h.query('auditor', `{ planTimeline(planId: "${planId}", first: 0) { next } }`)
  t.equal(badPage.status, 400, 'a non-null root failing on a client mistake is that mistake’s status')
  t.equal(codeOf(badPage), 'INVALID_QUERY')
  const subscriptionOverGet = await h.app.inject({
    method: 'GET',
    url: `/graphql?query=${encodeURIComponent(`subscription { taskEvents(bureauId: "${own}") { type } }`)}`,
    headers: { authorization: headers.authorization },
  })
  t.ok(
    subscriptionOverGet.statusCode >= 400 && subscriptionOverGet.statusCode < 500,
    `${subscriptionOverGet.statusCode}`,
  )
  const get = await h.app.inject({
    method: 'GET',
    url: `/graphql?query=${encodeURIComponent('{ meetings { meetingId } }')}`,
    headers: { authorization: headers.authorization },
  })
  t.same(get.json(), { data: { meetings: [{ meetingId: 'm1' }] } }, 'a query over GET')
})

t.test(
  'regression: bad variables are a 400 BAD_USER_INPUT with one message at every run, also once compiled',
  async (t) => {
    // The second run of a document is the first compiled with graphql-jit: it was a 500.
    const page = (name: string) =>
      `query ${name}($n: Int) { planTimeline(planId: "${planId}", first: $n) { next } }`
    for (const [document, variables] of [
      [page('Ten'), { n: '10' }],
      [page('Half'), { n: 1.5 }],
      [page('Letters'), { n: 'abc' }],
      [page('Object'), { n: {} }],
      ['query Year($year: Int!) { annualReview(year: $year) { bureauId } }', {}],
    ] as const) {
      const messages = new Set<string>()
      for (let run = 1; run <= 3; run++) {
        const answer = await h.query('auditor', document, variables)
        t.equal(answer.status, 400, `${JSON.stringify(variables)}, run ${run}`)
        t.match(answer.body, { data: null, errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] })
        for (const error of answer.body.errors ?? []) messages.add(error.message)
      }
      t.equal(messages.size, 1, `one message for ${JSON.stringify(variables)}: ${[...messages].join(' | ')}`)
      t.match([...messages][0], /^Variable "\$(n|year)"/)
    }
    // Of two operations, the one the request names, in its body or in the query string of a GET.
    const two = `query A { meetings { meetingId } } ${page('B')}`
    const authorization = `Bearer ${tokenOf('auditor')}`
    for (const method of ['POST', 'GET', 'POST'] as const) {
      const fields = { query: two, operationName: 'B', variables: { n: '10' } }
      const answer = await h.app.inject(
        method === 'POST'
          ? { method, url: '/graphql', headers: { authorization }, payload: fields }
          : {
              method,
              url: '/graphql',
              headers: { authorization },
              query: { ...fields, variables: JSON.stringify(fields.variables) },
            },
      )
      t.equal(answer.statusCode, 400, method)
      t.match(answer.json(), {
        errors: [
          {
            message: /^Variable "\$n" got invalid value "10"; Int cannot/,
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      })
    }
  },
)

t.test(
  'a query waits for the position named in X-Coord-Wait-For-Position, or says it timed out',
  async (t) => {
    const position = await h.append(`task-${planId}/${taskId}`, [
      'TaskClosed',
      {},
      { occurredAt: '2018-03-01T02:00:00.000Z' },
    ])
    const document = `{ bureauAccountability(bureauId: "${own}") { position tasks { task { taskId status } } } }`
    const fresh = await h.query('bureau', document, undefined, { [waitForHeader]: String(position) })
    t.equal(fresh.status, 200)
    const view = fresh.body.data?.bureauAccountability as {
      position: number
      tasks: { task: { status: string } }[]
    }
    t.ok(view.position >= position, 'the view includes the write')
    t.equal(view.tasks[0]?.task.status, 'closed')
    const late = await h.query('bureau', document, undefined, { [waitForHeader]: String(position + 1000) })
    t.equal(late.status, 504)
    t.match(late.body, {
      data: null,
      errors: [{ extensions: { code: 'PROJECTION_TIMEOUT', position: position + 1000, reached: position } }],
    })
    const malformed = await h.query('bureau', document, undefined, { [waitForHeader]: 'soon' })
    t.equal(malformed.status, 400)
    t.equal(codeOf(malformed), 'INVALID_WAIT_FOR')
  },
)

t.test('the development IDE is served from local files only', async (t) => {
  const page = await h.app.inject({ method: 'GET', url: '/graphiql' })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /text\/html/)
  t.match(page.headers['content-security-policy'], /default-src 'self'/)
  t.notMatch(page.body, /(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i, 'no external URL in the page')
  const references = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '')
  t.equal(references.length, 5, 'a stylesheet and four scripts')
  for (const reference of references) {
    t.notOk(/^[a-z]+:|^\/\//i.test(reference), `${reference} is relative`)
    const asset = await h.app.inject({
      method: 'GET',
      url: new URL(reference, 'http://gateway/graphiql').pathname,
    })
    t.equal(asset.statusCode, 200, reference)
    t.match(asset.headers['content-type'], reference.endsWith('.css') ? /text\/css/ : /javascript/)
    t.ok(asset.rawPayload.length > 100, `${reference}: ${asset.rawPayload.length} bytes`)
    if (reference.endsWith('.css'))
      t.notMatch(asset.body, /url\(\s*['"]?(https?:)?\/\//, 'the stylesheet loads nothing remote')
  }
  t.equal((await h.app.inject({ method: 'GET', url: '/graphiql/assets/..%2Fpackage.json' })).statusCode, 404)
  const introspection = await h.query('auditor', '{ __schema { queryType { name } } }')
  t.same(
    introspection.body,
    { data: { __schema: { queryType: { name: 'Query' } } } },
    'introspection in development',
  )
})

t.test('in production introspection and the IDE are off', async (t) => {
  const production = loadConfig(
    { NODE_ENV: 'production', LOG_LEVEL: 'silent', JWT_SECRET: 'a-production-secret-long-enough-0123456789' },
    { envFile: false },
  )
  const p = await gatewayHarness(t, { config: production })
  const headers = { authorization: `Bearer ${signToken(production, { role: 'auditor', user: 'auditor' })}` }
  const introspection = await p.app.inject({
    method: 'POST',
    url: '/graphql',
    headers,
    payload: { query: '{ __schema { queryType { name } } }' },
  })
  t.equal(introspection.statusCode, 400)
  t.match(introspection.json(), { errors: [{ extensions: { code: 'INTROSPECTION_DISABLED' } }] })
  t.equal((await p.app.inject({ method: 'GET', url: '/graphiql' })).statusCode, 404)
  const plain = await p.app.inject({
    method: 'POST',
    url: '/graphql',
    headers,
    payload: { query: '{ meetings { meetingId } }' },
  })
  t.same(plain.json(), { data: { meetings: [] } }, 'queries still answer')
})
