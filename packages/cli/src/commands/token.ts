import { loadConfig } from '@coord/service-kit/config'
import { roles, signToken, type Role } from '@coord/service-kit/token'
import { CliError, parse, refuseExtraArguments, type CliCommand } from '../cli.ts'

const help = `usage: coord token --role <role> [--bureau <id>] [--user <name>] [--expires <8h>]

Prints a JWT the platform accepts, signed with this installation's key (JWT_SECRET, or in
development the key kept in DATA_DIR). For trying the API:
  curl -H "Authorization: Bearer $(pnpm coord token --role planner)" http://127.0.0.1:3000/health

roles: ${roles.join(', ')} (bureau needs --bureau)
--expires: a whole number of seconds, minutes, hours or days (90s, 15m, 8h, 7d), at most 30d`

const unitSeconds: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 }

/** The longest a token from this command lives: it is for trying the API, not for services. */
export const maxExpirySeconds = 30 * 86_400

/** `--expires` in seconds; a usage error unless it is like 90s, 15m, 8h or 7d and at most 30 days. */
export function expirySeconds(value: string): number {
  const match = /^(\d{1,9})([smhd])$/.exec(value)
  const seconds = match ? Number(match[1]) * (unitSeconds[match[2] as string] ?? 0) : 0
  if (seconds < 1 || seconds > maxExpirySeconds) {
    throw new CliError(
      `--expires must be a whole number of seconds, minutes, hours or days (90s, 15m, 8h, 7d) from 1s to 30d, got '${value}'`,
    )
  }
  return seconds
}

export const tokenCommand: CliCommand = {
  run(args) {
    const parsed = parse(
      args,
      {
        role: { type: 'string' },
        bureau: { type: 'string' },
        user: { type: 'string' },
        expires: { type: 'string', default: '8h' },
      },
      help,
    )
    if (!parsed) return 0
    refuseExtraArguments(parsed.positionals, 0, help)
    const { role, bureau, user, expires } = parsed.values
    if (!role || !roles.includes(role as Role))
      throw new CliError(`--role must be one of ${roles.join(', ')}`)
    if (role === 'bureau' && !bureau) throw new CliError('a bureau token needs --bureau <id>')
    const expiresIn = expirySeconds(expires)
    const config = loadConfig()
    const token = signToken(config, {
      role: role as Role,
      user: user ?? `${role}${bureau ? `@${bureau}` : ''}`,
      expiresIn,
      ...(bureau ? { bureauId: bureau } : {}),
    })
    process.stdout.write(`${token}\n`)
    return 0
  },
}
