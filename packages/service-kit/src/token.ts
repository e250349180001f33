import { createHmac } from 'node:crypto'
import type { CommandActor } from '@coord/domain'
import type { Config } from './config.ts'

export type Role = CommandActor['role']

/** Every role a token may carry (BRIEF section 2); `bureau` needs a `bureauId` claim. */
export const roles: readonly Role[] = Object.freeze([
  'planner',
  'secretariat',
  'supervisor',
  'bureau',
  'auditor',
  'system',
])

export interface TokenRequest {
  role: Role
  bureauId?: string | undefined
  /** Who acts; becomes the `sub` claim and `actor.user`. */
  user: string
  /** Seconds, or a number with a unit: `90s`, `15m`, `8h`, `7d`. Default one hour. */
  expiresIn?: number | string
  /** The signing time in epoch seconds; tests set it to make expired tokens. Default now. */
  now?: number
}

/** The claims the platform puts in, and requires of, a token. */
export interface TokenClaims {
  role: Role
  bureauId?: string
  sub: string
  iss: string
  aud: string
  iat: number
  exp: number
}

const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 }

/**
 * Signs an HS256 token the services accept: issuer, audience and expiry from `config`. Used by
 * the CLI's dev token command and by tests; production tokens come from the identity provider.
 */
export function signToken(config: Config, request: TokenRequest): string {
  if (!roles.includes(request.role)) throw new TypeError(`unknown role ${String(request.role)}`)
  if (request.role === 'bureau' && !request.bureauId) throw new TypeError('a bureau token needs a bureauId')
  if (!request.user) throw new TypeError('a token needs a user')
  const iat = request.now ?? Math.floor(Date.now() / 1000)
  const claims: TokenClaims = {
    role: request.role,
    ...(request.role === 'bureau' && request.bureauId ? { bureauId: request.bureauId } : {}),
    sub: request.user,
    iss: config.jwt.issuer,
    aud: config.jwt.audience,
    iat,
    exp: iat + seconds(request.expiresIn ?? 3600),
  }
  return signHs256(claims, config.jwt.secret)
}

/** A compact JWS over any payload; exported for tests that need odd payloads signed correctly. */
export function signHs256(payload: unknown, secret: string): string {
  const head = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))
  const body = base64url(JSON.stringify(payload))
  const signature = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url')
  return `${head}.${body}.${signature}`
}

function seconds(expiresIn: number | string): number {
  if (typeof expiresIn === 'number' && Number.isSafeInteger(expiresIn) && expiresIn > 0) return expiresIn
  const match = typeof expiresIn === 'string' ? /^(\d+)([smhd])$/.exec(expiresIn) : null
  if (!match) throw new TypeError(`expiresIn must be seconds or like 15m, 8h, 7d, not ${String(expiresIn)}`)
  return Number(match[1]) * (units[match[2] as string] ?? 1)
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url')
}
