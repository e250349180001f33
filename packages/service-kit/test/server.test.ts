import t from 'tap'
import { createApp, healthPlugin, runServer } from '../src/index.ts'
import { testConfig } from './helpers.ts'

t.test(
  'runServer listens on the configured host and port 0, and stops listening for signals once closed',
  async (t) => {
    const config = testConfig({ PORT: '0', HOST: '127.0.0.1' })
    const app = createApp({ config, logger: false })
    await app.register(healthPlugin)
    const before = process.listenerCount('SIGTERM')
    const url = await runServer(app, config)
    t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)
    t.equal(process.listenerCount('SIGTERM'), before + 1, 'graceful shutdown installed')
    const res = await fetch(`${url}/health`, { headers: { 'x-request-id': 'probe-1' } })
    t.equal(res.status, 200)
    t.equal(res.headers.get('x-request-id'), 'probe-1')
    t.same(await res.json(), { status: 'ok', checks: {} })
    await app.close()
    t.equal(process.listenerCount('SIGTERM'), before, 'signal handlers removed on close')
  },
)

t.test('runServer fails cleanly when the port is taken', async (t) => {
  const first = createApp({ config: testConfig({ PORT: '0' }), logger: false })
  const url = await runServer(first, testConfig({ PORT: '0' }))
  t.teardown(() => first.close())
  const port = new URL(url).port
  const config = testConfig({ PORT: port })
  const second = createApp({ config, logger: false })
  const before = process.listenerCount('SIGINT')
  let closed = false
  second.addHook('onClose', async () => {
    closed = true
  })
  await t.rejects(runServer(second, config), { code: 'EADDRINUSE' })
  t.equal(process.listenerCount('SIGINT'), before, 'no handler left behind')
  t.ok(closed, 'the app that cannot listen is closed: its onClose hooks release what it holds')
})
