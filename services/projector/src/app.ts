import type { FastifyInstance } from 'fastify'
import { createApp, healthPlugin, type Config } from '@coord/service-kit'
import { metricsText } from './metrics.ts'
import type { Projector } from './projector.ts'

export interface ProjectorPluginOptions {
  projector: Projector
  /** Start the projector when the app is ready and stop it on close; default true. */
  manage?: boolean
}

/**
 * GET `status` (lag as JSON) and `metrics` (Prometheus text) under the prefix it is mounted at,
 * and a `projector` health check that fails while batches fail. Not wrapped in fastify-plugin:
 * its routes stay inside its prefix.
 */
export function projectorPlugin(app: FastifyInstance, options: ProjectorPluginOptions): Promise<void> {
  const { projector } = options
  projector.logger ??= app.log.child({ component: 'projector' })
  if (options.manage !== false) {
    app.addHook('onReady', () => projector.start())
    app.addHook('onClose', () => projector.stop())
  }
  if (typeof app.addHealthCheck === 'function') {
    app.addHealthCheck('projector', async () => {
      const status = await projector.status()
      if (status.error !== null) throw new Error(`projection failing: ${status.error}`)
      return status
    })
  }
  app.get('/status', { schema: { hide: true } }, () => projector.status())
  app.get('/metrics', { logLevel: 'warn', schema: { hide: true } }, async (_request, reply) => {
    const text = metricsText(await projector.status())
    return reply.type('text/plain; version=0.0.4').send(text)
  })
  return Promise.resolve()
}

/** The projector alone: health (with its lag) at /health, status and metrics under /projector. */
export async function build(config: Config, deps: { projector: Projector }): Promise<FastifyInstance> {
  const app = createApp({ config })
  await app.register(healthPlugin)
  await app.register(projectorPlugin, { projector: deps.projector, prefix: '/projector' })
  return app
}
