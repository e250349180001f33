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
import { openNotaryDb } from './db.ts'
import { loadSigningKey } from './key.ts'
import { Notary } from './notary.ts'
import { auditRoutes } from './routes.ts'

export interface NotaryPluginOptions {
  /** A notary to serve; without one the plugin opens its own from `config` over `store`. */
  notary?: Notary
  store?: EventStore
  config?: Config
  /** Start the notary when the app is ready and stop it on close; default true. */
  manage?: boolean
  /** For a notary the plugin opens: signing interval (default one hour) and PostgreSQL schema. */
  headIntervalMs?: number
  schema?: string
}

/**
 * The notary's routes (tree heads, proofs, the public key) under the prefix it is mounted at, and
 * a `notary` health check. Given no `notary`, it opens one from the configuration: its tables in
 * PostgreSQL (schema `coord_notary`) with DATABASE_URL, otherwise a PGlite in `DATA_DIR/notary`
 * (in memory under NODE_ENV=test); the key from SIGNING_KEY_FILE or the development key. Not
 * wrapped in fastify-plugin: its routes stay inside its prefix.
 */
export async function notaryPlugin(app: FastifyInstance, options: NotaryPluginOptions): Promise<void> {
  const notary = options.notary ?? (await openNotary(app, options))
  notary.logger ??= app.log.child({ component: 'notary' })
  if (options.manage !== false) {
    app.addHook('onReady', () => notary.start())
    app.addHook('onClose', () => notary.stop())
  }
  if (typeof app.addHealthCheck === 'function') {
    app.addHealthCheck('notary', async () => {
      const status = await notary.status()
      if (status.error !== null) throw new Error(`notary failing: ${status.error}`)
      return status
    })
  }
  auditRoutes(app.withTypeProvider<TypeBoxTypeProvider>(), notary)
}

async function openNotary(app: FastifyInstance, options: NotaryPluginOptions): Promise<Notary> {
  const { store, config } = options
  if (!store || !config) throw new TypeError('notaryPlugin needs a notary, or a store and the config')
  const opened = await openConfiguredNotary({
    store,
    config,
    schema: options.schema,
    headIntervalMs: options.headIntervalMs,
  })
  app.addHook('onClose', () => opened.close())
  return opened.notary
}

/**
 * A notary as the configuration says: its tables in PostgreSQL (schema `coord_notary`, or
 * `schema`) with DATABASE_URL, otherwise a PGlite in `DATA_DIR/notary` (in memory under
 * NODE_ENV=test); the key from SIGNING_KEY_FILE or the development key. `close` stops it, then
 * closes its database. For a process that serves it in more than one place (the platform hands the
 * same notary to `notaryPlugin` and to the GraphQL gateway).
 */
export async function openConfiguredNotary(options: {
  store: EventStore
  config: Config
  schema?: string | undefined
  headIntervalMs?: number | undefined
}): Promise<{ notary: Notary; close: () => Promise<void> }> {
  const { store, config } = options
  const db = await openNotaryDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    schema: options.schema,
    inMemory: config.nodeEnv === 'test',
  })
  const notary = new Notary({
    store,
    db,
    signingKey: loadSigningKey(config),
    ...(options.headIntervalMs !== undefined ? { headIntervalMs: options.headIntervalMs } : {}),
  })
  // Stopping is idempotent: the notary stops before its database closes, whoever stopped it first.
  const close = async () => {
    await notary.stop()
    await db.close()
  }
  return { notary, close }
}

/** The notary alone: health at /health, docs at /docs, its routes under /audit. */
export async function build(config: Config, deps: { notary: Notary }): Promise<FastifyInstance> {
  const app = createApp({ config })
  await app.register(docsPlugin, { title: 'Audit notary' })
  await app.register(healthPlugin)
  await app.register(authPlugin, { config })
  await app.register(notaryPlugin, { notary: deps.notary, prefix: '/audit' })
  return app
}
