import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/** A health check: resolves when healthy; throws (or resolves `false`) when not. */
export type HealthCheck = () => unknown

declare module 'fastify' {
  interface FastifyInstance {
    /** Adds a named check to GET /health (registered by `healthPlugin`). */
    addHealthCheck(name: string, check: HealthCheck): void
  }
}

export interface DocsPluginOptions {
  title?: string
  version?: string
  description?: string
  /** Where the UI is served; default `/docs` (the OpenAPI document is at `<prefix>/json`). */
  routePrefix?: string
}

// Swagger UI from this package's own files: government intranets are offline, so nothing may
// come from a CDN, and the policy below forbids the browser to try.
const docsContentSecurityPolicy = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'self'",
].join('; ')

/**
 * OpenAPI 3 from the routes' JSON schemas, and Swagger UI at /docs. Register it before the
 * routes it should describe.
 */
async function coordDocs(app: FastifyInstance, options: DocsPluginOptions): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: options.title ?? 'coord platform',
        version: options.version ?? '0.1.0',
        ...(options.description ? { description: options.description } : {}),
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
      security: [{ bearerAuth: [] }],
    },
  })
  await app.register(fastifySwaggerUi, {
    routePrefix: options.routePrefix ?? '/docs',
    staticCSP: docsContentSecurityPolicy,
    uiConfig: { validatorUrl: null, deepLinking: true },
  })
}

export const docsPlugin = fp(coordDocs, { name: 'coord-docs', fastify: '5.x' })

export interface HealthPluginOptions {
  /** A check that takes longer counts as failed; default 2000 ms. */
  timeoutMs?: number
}

interface CheckOutcome {
  status: 'ok' | 'failed'
  message?: string
}

/**
 * GET /health: `{ status: 'ok' | 'degraded', checks }`, 503 when a check fails. Infrastructure
 * plugins add their checks with `app.addHealthCheck(name, fn)`.
 */
function coordHealth(app: FastifyInstance, options: HealthPluginOptions, done: () => void): void {
  const timeoutMs = options.timeoutMs ?? 2000
  const checks = new Map<string, HealthCheck>()
  app.decorate('addHealthCheck', (name: string, check: HealthCheck) => {
    if (checks.has(name)) throw new Error(`health check ${name} is already registered`)
    checks.set(name, check)
  })
  app.get('/health', { logLevel: 'warn', schema: { hide: true } }, async (request, reply) => {
    const entries = await Promise.all(
      [...checks].map(async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const),
    )
    const failed = entries.filter(([, outcome]) => outcome.status === 'failed')
    for (const [name, outcome] of failed)
      request.log.warn({ check: name, reason: outcome.message }, 'health check failed')
    void reply.code(failed.length > 0 ? 503 : 200)
    return { status: failed.length > 0 ? 'degraded' : 'ok', checks: Object.fromEntries(entries) }
  })
  done()
}

export const healthPlugin = fp(coordHealth, { name: 'coord-health', fastify: '5.x' })

async function runCheck(check: HealthCheck, timeoutMs: number): Promise<CheckOutcome> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    const result = await Promise.race([Promise.resolve().then(check), timeout])
    return result === false ? { status: 'failed', message: 'the check reported failure' } : { status: 'ok' }
  } catch (error) {
    return { status: 'failed', message: error instanceof Error ? error.message : String(error) }
  } finally {
    clearTimeout(timer)
  }
}
