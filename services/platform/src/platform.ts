import type { FastifyInstance } from 'fastify'
import type { EventStore } from '@coord/eventstore'
import { DeadlineWatcher, planningPlugin } from '@coord/planning'
import { authPlugin, createApp, docsPlugin, healthPlugin, type Config } from '@coord/service-kit'

export interface PlatformOptions {
  store: EventStore
  /** Days before a deadline that DeadlineApproaching is sent. */
  deadlineLeadDays?: number
  deadlineCheckIntervalMs?: number
}

/**
 * Every service of the platform as one Fastify app on one port, over one event store: what a
 * district that needs nothing else runs. Each service is a plugin under its own prefix and can
 * also run alone (see services/<name>/src/server.ts).
 */
export async function buildPlatform(config: Config, options: PlatformOptions): Promise<FastifyInstance> {
  const { store } = options
  const app = createApp({ config })
  await app.register(docsPlugin, { title: 'Inter-bureau coordination platform' })
  await app.register(healthPlugin)
  await app.register(authPlugin, { config })
  app.addHealthCheck('store', () => store.headPosition())
  await app.register(planningPlugin, { store, prefix: '/planning' })

  const watcher = new DeadlineWatcher(store, {
    leadDays: options.deadlineLeadDays ?? 7,
    intervalMs: options.deadlineCheckIntervalMs ?? 60_000,
    logger: app.log.child({ component: 'deadline-watcher' }),
  })
  app.addHook('onReady', () => {
    watcher.start()
    return Promise.resolve()
  })
  app.addHook('onClose', () => watcher.stop())
  return app
}
