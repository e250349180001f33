import type { FastifyInstance } from 'fastify'
import type { EventStore } from '@coord/eventstore'
import { ResolutionProcessManager, meetingsPlugin, type DeciderFor } from '@coord/meetings'
import { DeadlineWatcher, planningPlugin, taskDecider } from '@coord/planning'
import { ReorganisationProcessManager, responsibilityPlugin } from '@coord/responsibility'
import { Relay, createKafka } from '@coord/relay'
import { notaryPlugin, openConfiguredNotary } from '@coord/notary'
import { dutyTransferRunner } from './resolution-steps.ts'
import { registerReadSide, type ReadSideOptions } from './read-side.ts'
import { authPlugin, createApp, docsPlugin, healthPlugin, type Config } from '@coord/service-kit'

export interface PlatformOptions {
  store: EventStore
  /** The read-model database and its projector (see `registerReadSide`); defaults made in memory. */
  readDb?: ReadSideOptions['readDb']
  projector?: ReadSideOptions['projector']
  /** Days before a deadline that DeadlineApproaching is sent. */
  deadlineLeadDays?: number
  deadlineCheckIntervalMs?: number
  /**
   * Called when the app closes, once every part of the platform has stopped (the watchers, the
   * process managers, the relay, the notary, the projector): where the caller closes the databases
   * it passed in, which those parts use until they stop.
   */
  onClosed?: () => Promise<void>
}

/**
 * Every service of the platform as one Fastify app on one port, over one event store: what a
 * district that needs nothing else runs. Each service is a plugin under its own prefix and can
 * also run alone (see services/<name>/src/server.ts).
 */
export async function buildPlatform(config: Config, options: PlatformOptions): Promise<FastifyInstance> {
  const { store } = options
  const app = createApp({ config })
  // onClose hooks run last added, first run: this one, added first, runs after every other.
  const { onClosed } = options
  if (onClosed) app.addHook('onClose', () => onClosed())
  await app.register(docsPlugin, { title: 'Inter-bureau coordination platform' })
  await app.register(healthPlugin)
  await app.register(authPlugin, { config })
  app.addHealthCheck('store', () => store.headPosition())
  await app.register(planningPlugin, { store, prefix: '/planning' })
  await app.register(meetingsPlugin, { store, prefix: '/meetings' })
  await app.register(responsibilityPlugin, { store, prefix: '/responsibility' })
  // The audit notary: every event a leaf of a Merkle log, signed tree heads and proofs under /audit
  // and in GraphQL.
  const audit = await openConfiguredNotary({ store, config })
  app.addHook('onClose', () => audit.close())
  await app.register(notaryPlugin, { notary: audit.notary, prefix: '/audit' })
  // The read models and the GraphQL gateway over them (/projector, /graphql, /graphiql).
  await registerReadSide(app, config, {
    store,
    readDb: options.readDb,
    projector: options.projector,
    audit: audit.notary,
  })

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

  // Resolutions of joint meetings become tracked work (tasks, assignments, deadlines) exactly once.
  const deciderFor: DeciderFor = (streamId) => (streamId.startsWith('task-') ? taskDecider : null)
  const resolutions = new ResolutionProcessManager({
    store,
    deciderFor,
    transferDuty: dutyTransferRunner(store),
    logger: app.log.child({ component: 'resolution-process-manager' }),
  })
  app.addHook('onReady', () => resolutions.start())
  app.addHook('onClose', () => resolutions.stop())

  // Reorganisations move duties and open tasks to the successor bureaus.
  const reorganisations = new ReorganisationProcessManager({
    store,
    taskDecider: taskDecider,
    logger: app.log.child({ component: 'reorganisation-process-manager' }),
  })
  app.addHook('onReady', () => reorganisations.start())
  app.addHook('onClose', () => reorganisations.stop())

  // The Kafka relay runs only where brokers are configured; everything else works without it.
  if (config.kafkaBrokers.length > 0) {
    const log = app.log.child({ component: 'relay' })
    const relay = new Relay({
      store,
      kafka: createKafka([...config.kafkaBrokers], 'coord-relay', log),
      logger: log,
    })
    app.addHealthCheck('relay', () => relay.health())
    app.addHook('onReady', () => relay.start())
    app.addHook('onClose', () => relay.stop())
  }
  return app
}
