import t from 'tap'
import { createApp, docsPlugin, healthPlugin } from '../src/index.ts'
import { testConfig } from './helpers.ts'

const config = testConfig()
const cdnHosts = /unpkg\.com|jsdelivr|cdnjs|googleapis|cloudflare|swagger\.io/i

t.test('the /docs page and every asset it loads are served by the app itself', async (t) => {
  const app = createApp({ config, logger: false })
  await app.register(docsPlugin, { title: 'planning', version: '1.2.3' })
  app.post(
    '/tasks',
    {
      schema: {
        body: { type: 'object', additionalProperties: false, properties: { title: { type: 'string' } } },
      },
    },
    async () => ({}),
  )
  t.teardown(() => app.close())
  await app.ready()

  const page = await app.inject({ url: '/docs' })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /text\/html/)
  t.notMatch(page.body, /https?:\/\//, 'no absolute URL in the HTML')
  t.notMatch(page.body, cdnHosts)
  const csp = String(page.headers['content-security-policy'])
  t.match(csp, /default-src 'self'/)
  t.notMatch(csp, /https?:|\*/, 'the policy allows no other origin')

  const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string)
  t.ok(assets.length >= 4, `${assets.length} assets`)
  for (const asset of assets) {
    t.notMatch(asset, /^(https?:)?\/\//, `${asset} is local`)
    const res = await app.inject({ url: new URL(asset, 'http://local/docs').pathname })
    t.equal(res.statusCode, 200, `${asset} is served`)
  }
  const initializer = await app.inject({ url: '/docs/static/swagger-initializer.js' })
  t.match(initializer.body, /validatorUrl: null/, 'no call to the public validator')

  const spec = await app.inject({ url: '/docs/json' })
  t.match(spec.json(), {
    openapi: /^3\./,
    info: { title: 'planning', version: '1.2.3' },
    paths: { '/tasks': { post: {} } },
    components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
  })
})

t.test('GET /health is ok without checks and with passing ones', async (t) => {
  const app = createApp({ config, logger: false })
  await app.register(healthPlugin)
  app.addHealthCheck('store', async () => {})
  app.addHealthCheck('flag', () => true)
  t.teardown(() => app.close())
  const res = await app.inject({ url: '/health' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok', checks: { store: { status: 'ok' }, flag: { status: 'ok' } } })
})

t.test('a failing, false or hanging check makes /health answer 503 degraded', async (t) => {
  const app = createApp({ config, logger: false })
  await app.register(healthPlugin, { timeoutMs: 50 })
  app.addHealthCheck('store', async () => {})
  app.addHealthCheck('kafka', async () => {
    throw new Error('no broker answers')
  })
  app.addHealthCheck('disk', () => false)
  app.addHealthCheck('slow', () => new Promise(() => {}))
  t.throws(() => app.addHealthCheck('store', () => true), /already registered/)
  t.teardown(() => app.close())
  const res = await app.inject({ url: '/health' })
  t.equal(res.statusCode, 503)
  t.same(res.json(), {
    status: 'degraded',
    checks: {
      store: { status: 'ok' },
      kafka: { status: 'failed', message: 'no broker answers' },
      disk: { status: 'failed', message: 'the check reported failure' },
      slow: { status: 'failed', message: 'no answer within 50 ms' },
    },
  })
})

t.test('a plugin registered inside another can add a check to the shared endpoint', async (t) => {
  const app = createApp({ config, logger: false })
  await app.register(healthPlugin)
  await app.register(async (child) => {
    child.addHealthCheck('projector', () => true)
  })
  t.teardown(() => app.close())
  t.same((await app.inject({ url: '/health' })).json().checks, { projector: { status: 'ok' } })
})
