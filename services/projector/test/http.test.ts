import t from 'tap'
import { loadConfig } from '@coord/service-kit'
import { build } from '../src/index.ts'
import { harness } from './helpers.ts'

const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }, { envFile: false })

t.test('health, status and metrics report the lag', async (t) => {
  const h = await harness(t, { start: false })
  const app = await build(config, { projector: h.projector })
  t.teardown(() => app.close())
  await h.append('bureau-b1', [
    'BureauRegistered',
    {
      bureauId: 'b1',
      kind: '委办局',
      parentId: null,
      effectiveDate: '2017-01-01',
      nameZh: '一局',
      nameEn: 'b1',
      shortName: 'b1',
    },
  ])
  await app.ready()
  await h.caughtUp()

  const health = await app.inject({ method: 'GET', url: '/health' })
  t.equal(health.statusCode, 200)
  t.match(health.json(), { status: 'ok', checks: { projector: { status: 'ok' } } })

  const status = await app.inject({ method: 'GET', url: '/projector/status' })
  t.match(status.json(), {
    checkpoint: 1,
    head: 1,
    lagEvents: 0,
    lagSeconds: 0,
    version: 1,
    rebuilding: false,
  })

  await h.projector.stop()
  await h.append('bureau-b2', [
    'BureauRegistered',
    {
      bureauId: 'b2',
      kind: '委办局',
      parentId: null,
      effectiveDate: '2017-01-01',
      nameZh: '二局',
      nameEn: 'b2',
      shortName: 'b2',
    },
  ])
  const metrics = await app.inject({ method: 'GET', url: '/projector/metrics' })
  t.match(metrics.headers['content-type'], /^text\/plain/)
  t.match(metrics.body, /^coord_projector_lag_events 1$/m)
  t.match(metrics.body, /^coord_projector_checkpoint 1$/m)
  t.match(metrics.body, /^# TYPE coord_projector_lag_seconds gauge$/m)
})
