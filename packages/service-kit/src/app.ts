import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { Config } from './config.ts'
import { errorHandler, frameworkErrorHandler, notFoundHandler } from './error-handler.ts'
import { buildValidator, requireClosedBodySchemas } from './validation.ts'

export const bodyLimit = 1024 * 1024
/**
 * The body limit of a route that takes a whole document as text (a plan, minutes): 700,000
 * characters, each up to three bytes of UTF-8, and the JSON around them.
 */
export const documentBodyLimit = 3 * 1024 * 1024
export const requestIdHeader = 'x-request-id'

const saneRequestId = /^[A-Za-z0-9._:-]{1,128}$/

/** Paths pino replaces with `[redacted]`: credentials never reach the log. */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
]

export interface CreateAppOptions {
  config: Config
  /** false: no logging (tests); true or absent: pino at `config.logLevel`; an object: extra pino options. */
  logger?: boolean | Record<string, unknown>
}

/**
 * A Fastify instance configured for the platform: request ids, redacted pino logging, strict
 * body validation (unknown fields rejected), a 1 MiB body limit and one error handler. It never
 * listens; see `runServer`.
 */
export function createApp(options: CreateAppOptions): FastifyInstance {
  const { config } = options
  const app = Fastify({
    logger: loggerOptions(config, options.logger),
    // Fastify would take any incoming x-request-id verbatim; genReqId checks it instead.
    requestIdHeader: false,
    genReqId,
    bodyLimit,
    schemaController: { compilersFactory: { buildValidator } },
    // A malformed URL is refused before any hook runs: the answer gets its request id here.
    frameworkErrors: (error, request, reply) => {
      void reply.header(requestIdHeader, request.id)
      frameworkErrorHandler(error, request, reply)
    },
  })
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header(requestIdHeader, request.id)
    done()
  })
  // Commands and queries speak JSON only; any other body is a 415, not a string to validate.
  app.removeContentTypeParser('text/plain')
  requireClosedBodySchemas(app)
  app.setErrorHandler(errorHandler)
  app.setNotFoundHandler(notFoundHandler)
  return app
}

/** The incoming `x-request-id` when it is a sane token (so logs can follow a call across services), else a new UUID. */
export function genReqId(request: IncomingMessage): string {
  const incoming = request.headers[requestIdHeader]
  return typeof incoming === 'string' && saneRequestId.test(incoming) ? incoming : randomUUID()
}

function loggerOptions(config: Config, logger: CreateAppOptions['logger']): FastifyServerOptions['logger'] {
  if (logger === false) return false
  return {
    level: config.logLevel,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    ...(typeof logger === 'object' ? logger : {}),
  }
}
