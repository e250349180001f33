import type { FastifyInstance } from 'fastify'
import type { EventStore } from '@coord/eventstore'
import { gatewayPlugin, gatewaySettings, type AuditSource } from '@coord/gateway'
import { openEmbeddedReadDb, Projector, projectorPlugin, ReadModels, type ReadDb } from '@coord/projector'
import type { Config } from '@coord/service-kit'

export interface ReadSideOptions {
  store: EventStore
  /** The read-model database (`openReadDb`); default a PGlite in memory, closed with the app. */
  readDb?: ReadDb | undefined
  /** The projector keeping it; default one made here. Pass it to stop it before the store closes. */
  projector?: Projector | undefined
  /** The notary's log, served in GraphQL beside /audit. */
  audit?: AuditSource | undefined
}

/**
 * The read side in the platform's process: the projector (status and metrics under /projector, a
 * `projector` health check) and the GraphQL gateway at /graphql (GraphiQL at /graphiql outside
 * production), which waits for positions and pushes subscriptions through the projector itself.
 */
export async function registerReadSide(
  app: FastifyInstance,
  config: Config,
  options: ReadSideOptions,
): Promise<void> {
  const readDb = options.readDb ?? (await openEmbeddedReadDb())
  const projector =
    options.projector ??
    new Projector({ store: options.store, db: readDb, logger: app.log.child({ component: 'projector' }) })
  await app.register(projectorPlugin, { projector, prefix: '/projector' })
  await app.register(gatewayPlugin, {
    ...gatewaySettings(config),
    models: new ReadModels(readDb),
    db: readDb,
    source: projector,
    ...(options.audit ? { audit: options.audit } : {}),
    history: options.store,
  })
  // The projector stops before the databases it reads and writes close, whichever onClose runs first.
  app.addHook('onClose', async () => {
    await projector.stop()
    if (!options.readDb) await readDb.close()
  })
}
