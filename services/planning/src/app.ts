import type { FastifyInstance } from 'fastify'
import type { EventStore } from '@coord/eventstore'
import {
  authPlugin,
  createApp,
  docsPlugin,
  emptyBodyAsObject,
  healthPlugin,
  type Config,
  type TypeBoxTypeProvider,
} from '@coord/service-kit'
import { planRoutes } from './plan/routes.ts'
import { taskRoutes } from './task/routes.ts'

export interface PlanningOptions {
  store: EventStore
}

/**
 * The planning service's routes (plans, targets, tasks), mounted under a prefix by whoever
 * composes the platform. Not wrapped in fastify-plugin: its hooks stay inside it.
 */
export function planningPlugin(app: FastifyInstance, { store }: PlanningOptions): Promise<void> {
  app.addHook('preValidation', emptyBodyAsObject)
  const typed = app.withTypeProvider<TypeBoxTypeProvider>()
  planRoutes(typed, store)
  taskRoutes(typed, store)
  return Promise.resolve()
}

/** The planning service alone: kit, docs, health, auth and its routes under /planning. */
export async function build(config: Config, deps: PlanningOptions): Promise<FastifyInstance> {
  const app = createApp({ config })
  await app.register(docsPlugin, { title: 'Planning service' })
  await app.register(healthPlugin)
  await app.register(authPlugin, { config })
  app.addHealthCheck('store', () => deps.store.headPosition())
  await app.register(planningPlugin, { ...deps, prefix: '/planning' })
  return app
}
