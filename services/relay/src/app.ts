import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import { createApp, healthPlugin, type Config } from '@coord/service-kit'
import type { Relay } from './relay.ts'

/**
 * The relay alone: the relay made by `makeRelay` (given the app's logger), started when the app
 * is ready (it goes on trying brokers that do not answer) and stopped on close, then `afterStop`;
 * a `relay` health check at /health, failing until the brokers are reached, and GET /relay/status
 * with whether it is connected, its checkpoint and its lag in events and seconds.
 */
export async function build(
  config: Config,
  makeRelay: (logger: FastifyBaseLogger) => Relay,
  /** Called on close once the relay has stopped (closes the store it reads). */
  afterStop: () => Promise<void> = () => Promise.resolve(),
): Promise<{ app: FastifyInstance; relay: Relay }> {
  const app = createApp({ config })
  const relay = makeRelay(app.log.child({ component: 'relay' }))
  await app.register(healthPlugin)
  app.addHealthCheck('relay', () => relay.health())
  app.get('/relay/status', { schema: { hide: true } }, () => relay.status())
  app.addHook('onReady', () => relay.start())
  app.addHook('onClose', async () => {
    await relay.stop()
    await afterStop()
  })
  return { app, relay }
}
