import type { CommandActor } from '@coord/domain'
import fastifyJwt from '@fastify/jwt'
import type { FastifyInstance, FastifyRequest, preValidationAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from './config.ts'
import { kitErrors } from './errors.ts'
import { roles, type Role } from './token.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** Who sent the request, set by `requireRole` once the token checked out; null before. */
    actor: CommandActor | null
  }
}

export interface AuthPluginOptions {
  config: Config
}

const maxClaimLength = 200

/**
 * Bearer tokens: HS256 only (so neither `alg: none` nor an RS256 token verified with the HMAC
 * secret gets in), the configured issuer and audience, and an expiry are all required. A token
 * verified once is remembered until it expires (or ten minutes pass, or 1,000 others come after).
 */
async function coordAuth(app: FastifyInstance, options: AuthPluginOptions): Promise<void> {
  const { secret, issuer, audience } = options.config.jwt
  await app.register(fastifyJwt, {
    secret,
    sign: { algorithm: 'HS256', iss: issuer, aud: audience, expiresIn: '1h' },
    verify: {
      algorithms: ['HS256'],
      allowedIss: issuer,
      allowedAud: audience,
      requiredClaims: ['exp', 'iss', 'aud', 'sub', 'role'],
      // The last 1,000 tokens verified, keyed by their hash, each kept until its own expiry at the
      // latest (fast-jwt's cache): a client sends the same token with every request, and its
      // signature and claims need checking once. Refused tokens are not kept.
      cache: true,
    },
  })
  app.decorateRequest('actor', null)
}

export const authPlugin = fp(coordAuth, { name: 'coord-auth', fastify: '5.x' })

/**
 * A hook that lets through only the given roles: 401 when the token is missing, invalid,
 * expired, for another issuer or audience, or its claims are malformed; 403 for another role.
 * Sets `request.actor`. Routes use it as `preValidation`, so a request without a valid token is
 * refused before its body is looked at (and learns nothing about what the route would accept).
 */
export function requireRole(...allowed: Role[]): preValidationAsyncHookHandler {
  for (const role of allowed) {
    if (!roles.includes(role)) throw new TypeError(`requireRole: unknown role ${String(role)}`)
  }
  return async function checkRole(request) {
    const actor = await authenticate(request)
    if (!allowed.includes(actor.role)) {
      throw kitErrors.make('FORBIDDEN', `role ${actor.role} may not do this, only ${allowed.join(', ')}`)
    }
  }
}

/** Verifies the bearer token and sets `request.actor`; throws UNAUTHORIZED otherwise. */
export async function authenticate(request: FastifyRequest): Promise<CommandActor> {
  let claims: unknown
  try {
    claims = await request.jwtVerify()
  } catch (error) {
    throw kitErrors.make('UNAUTHORIZED', (error as Error).message)
  }
  const actor = actorFromClaims(claims)
  if (actor === null) throw kitErrors.make('UNAUTHORIZED', 'the token claims are malformed')
  request.actor = actor
  return actor
}

/** The actor a verified payload describes, or null when its shape is wrong. */
export function actorFromClaims(claims: unknown): CommandActor | null {
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return null
  const { role, bureauId, sub } = claims as Record<string, unknown>
  if (typeof role !== 'string' || !roles.includes(role as Role)) return null
  if (!isShortText(sub)) return null
  if (role !== 'bureau') return { role: role as Role, user: sub }
  // A bureau acts only for its own bureau, so the claim is mandatory.
  if (!isShortText(bureauId)) return null
  return { role: 'bureau', bureauId, user: sub }
}

function isShortText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= maxClaimLength
}
