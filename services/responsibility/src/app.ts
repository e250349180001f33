import type { FastifyInstance } from 'fastify'
import type { EventStore } from '@coord/eventstore'
import {
  authPlugin,
  createApp,
  docsPlugin,
  healthPlugin,
  type Config,
  type TypeBoxTypeProvider,
} from '@coord/service-kit'
import { asOfRoutes } from './as-of/routes.ts'
import { bureauRoutes } from './bureau/routes.ts'
import { dutyRoutes } from './duties/routes.ts'
import { reorganisationRoutes } from './reorganisation/routes.ts'

export interface ResponsibilityOptions {
  store: EventStore
}

/**
 * The responsibility service's routes (bureau registry, power and responsibility lists,
 * reorganisations, as-of queries), mounted under a prefix by whoever composes the platform. Not
 * wrapped in fastify-plugin: its hooks stay inside it. The reorganisation process manager runs
 * beside it (see server.ts).
 */
export function responsibilityPlugin(app: FastifyInstance, { store }: ResponsibilityOptions): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>()
  bureauRoutes(typed, store)
  dutyRoutes(typed, store)
  reorganisationRoutes(typed, store)
  asOfRoutes(typed, store)
  return Promise.resolve()
}

/** The responsibility service alone: kit, docs, health, auth and its routes under /responsibility. */
export async function build(config: Config, deps: ResponsibilityOptions): Promise<FastifyInstance> {
  const app = createApp({ config })
  await app.register(docsPlugin, { title: 'Responsibility service' })
  await app.register(healthPlugin)
  await app.register(authPlugin, { config })
  app.addHealthCheck('store', () => deps.store.headPosition())
  await app.register(responsibilityPlugin, { ...deps, prefix: '/responsibility' })
  return app
}
