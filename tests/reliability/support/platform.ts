import type { Test } from 'tap'
import { openEmbeddedStore, openPostgresStore, type EventStore } from '@coord/eventstore'
import { createTestSchema } from '@coord/eventstore/testing'
import { buildPlatform } from '@coord/platform'
import { loadConfig, signToken, type Config } from '@coord/service-kit'
import type { FastifyInstance } from 'fastify'

export const config: Config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }, { envFile: false })

export type Actor = Parameters<typeof signToken>[1]

export const bearer = (actor: Actor) => `Bearer ${signToken(config, actor)}`

/** The whole platform on a PostgreSQL store of its own, listening on a free port; torn down with the test. */
export async function platformOnPostgres(
  t: Test,
): Promise<{ app: FastifyInstance; store: EventStore; url: string }> {
  const schema = await createTestSchema('reliability')
  const store = await openPostgresStore({ connectionString: schema.connectionString, schema: schema.schema })
  const app = await buildPlatform(config, { store })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(async () => {
    await app.close()
    await store.close()
    await schema.drop()
  })
  return { app, store, url }
}

/** The whole platform on an embedded store in memory, ready, closed with the test. */
export async function platformInMemory(
  t: Test,
  config_: Config = config,
): Promise<{ app: FastifyInstance; store: EventStore }> {
  const store = await openEmbeddedStore()
  const app = await buildPlatform(config_, { store })
  t.teardown(async () => {
    await app.close()
    await store.close()
  })
  await app.ready()
  return { app, store }
}
