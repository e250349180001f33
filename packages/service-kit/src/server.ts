import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import type { Config } from './config.ts'

/** How long in-flight requests get to finish after SIGINT/SIGTERM before the process exits. */
export const shutdownDelayMs = 10_000

/**
 * Listens on `config.host:config.port` and closes the app gracefully on SIGINT, SIGTERM or an
 * uncaught error. Resolves with the URL it listens on. An app that cannot listen is closed (its
 * onClose hooks close what it holds) and the listen error thrown.
 */
export async function runServer(app: FastifyInstance, config: Config): Promise<string> {
  const log = app.log.child({ component: 'server' })
  const grace = closeWithGrace({ delay: shutdownDelayMs, logger: log }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'closing after an uncaught error')
    else log.info({ signal }, 'closing')
    await app.close()
  })
  // Closed by other means (tests, a composing process): stop listening for signals.
  app.server.once('close', () => grace.uninstall())
  try {
    const url = await app.listen({ port: config.port, host: config.host })
    log.info({ url }, `listening on ${url}`)
    return url
  } catch (error) {
    grace.uninstall()
    await app.close()
    throw error
  }
}
