import { createHmac, generateKeyPairSync, sign } from 'node:crypto'
import t from 'tap'
import { config, platformInMemory } from './support/platform.ts'
import { record } from './support/results.ts'
import { documentedRoutes } from './support/routes.ts'

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')
const now = Math.floor(Date.now() / 1000)
const claims = {
  sub: 'attacker',
  role: 'planner',
  iss: config.jwt.issuer,
  aud: config.jwt.audience,
  iat: now,
  exp: now + 3600,
}
const hs256 = (
  payload: unknown,
  secret: string | Buffer = config.jwt.secret,
  header: object = { alg: 'HS256', typ: 'JWT' },
) => {
  const body = `${b64(header)}.${b64(payload)}`
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`
}
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const rsaPublicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' })

/** Tokens that must never get in, each with what is wrong with it. */
const forged: [string, string][] = [
  ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`],
  ['alg none with a signature', `${b64({ alg: 'none' })}.${b64(claims)}.${b64('x')}`],
  ['wrong key', hs256(claims, 'a-secret-that-is-not-the-platforms-0123456789')],
  // HS/RS confusion: an RS256 header, HMAC-signed with the RSA public key as the "secret".
  ['HS/RS confusion', hs256(claims, rsaPublicPem, { alg: 'RS256', typ: 'JWT' })],
  [
    'RS256 signed with a key of its own',
    (() => {
      const body = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}`
      return `${body}.${sign('sha256', Buffer.from(body), rsa.privateKey).toString('base64url')}`
    })(),
  ],
  ['expired', hs256({ ...claims, iat: now - 7200, exp: now - 3600 })],
  ['no expiry', hs256({ ...claims, exp: undefined })],
  ['wrong issuer', hs256({ ...claims, iss: 'someone-else' })],
  ['wrong audience', hs256({ ...claims, aud: 'another-api' })],
  ['array payload', hs256([claims])],
  ['unknown role', hs256({ ...claims, role: 'root' })],
  ['bureau without a bureau', hs256({ ...claims, role: 'bureau' })],
  ['garbage', 'not.a.token'],
  ['empty', ''],
]

t.test('forged, expired and malformed tokens are a 401 on every route that needs one', async (t) => {
  const { app, store } = await platformInMemory(t)
  const routes = (await documentedRoutes(app)).filter((route) => !route.template.startsWith('/health'))
  const head = await store.headPosition()
  let refused = 0
  let leaked = 0
  let open = 0
  for (const route of routes) {
    const anonymous = await app.inject({
      method: route.method,
      url: route.url,
      payload: route.method === 'GET' ? undefined : {},
    })
    if (anonymous.statusCode !== 401) {
      open++
      t.comment(`${route.method} ${route.template} needs no token (${anonymous.statusCode})`)
      continue
    }
    for (const [what, token] of forged) {
      const response = await app.inject({
        method: route.method,
        url: route.url,
        headers: { authorization: `Bearer ${token}` },
        ...(route.method === 'GET' ? {} : { payload: {} }),
      })
      if (response.statusCode === 401) refused++
      else {
        leaked++
        t.fail(`${what} on ${route.method} ${route.template}: ${response.statusCode}`)
      }
    }
  }
  const graphql = await app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { authorization: `Bearer ${forged[0]?.[1]}`, 'content-type': 'application/json' },
    payload: { query: '{ meetings { meetingId } }' },
  })
  t.equal(graphql.statusCode, 401, 'GraphQL too')
  t.equal(leaked, 0, 'no forged token got past any route')
  t.ok(refused > routes.length, `${refused} refusals over ${routes.length - open} routes`)
  t.equal(await store.headPosition(), head, 'nothing was written')
  record({
    row: 'Tokens: alg none, wrong key, HS/RS confusion, RS256, expired, no expiry, wrong issuer or audience, array payload, bad role, garbage',
    figure: `${forged.length} kinds × ${routes.length - open} routes: ${refused} × 401, ${leaked} accepted`,
    failures: leaked + (graphql.statusCode === 401 ? 0 : 1),
  })
})
