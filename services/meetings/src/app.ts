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
import { meetingRoutes } from './meeting/routes.ts'
import { resolutionRoutes } from './resolution/routes.ts'

export interface MeetingsOptions {
  store: EventStore
}

/**
 * The meetings service's routes (joint meetings, their resolutions and minutes), mounted under a
 * prefix by whoever composes the platform. Not wrapped in fastify-plugin: its hooks stay inside it.
 */
export function meetingsPlugin(app: FastifyInstance, { store }: MeetingsOptions): Promise<void> {
  app.addHook('preValidation', emptyBodyAsObject)
  const typed = app.withTypeProvider<TypeBoxTypeProvider>()
  meetingRoutes(typed, store)
  resolutionRoutes(typed, store)
  return Promise.resolve()
}

/** The meetings service alone: kit, docs, health, auth and its routes under /meetings. */
export async function build(config: Config, deps: MeetingsOptions): Promise<FastifyInstance> {
  const app = createApp({ config })
  await app.register(docsPlugin, { title: 'Joint-meeting service' })
  await app.register(healthPlugin)
  await app.register(authPlugin, { config })
  app.addHealthCheck('store', () => deps.store.headPosition())
  await app.register(meetingsPlugin, { ...deps, prefix: '/meetings' })
  return app
}
