import { loadConfig, roles, signToken, type Role } from '@coord/service-kit'
import { CliError, parse, type CliCommand } from '../cli.ts'

const help = `usage: coord token --role <role> [--bureau <id>] [--user <name>] [--expires <8h>]

Prints a JWT the platform accepts, signed with this installation's key (JWT_SECRET, or in
development the key kept in DATA_DIR). For trying the API:
  curl -H "Authorization: Bearer $(pnpm coord token --role planner)" http://127.0.0.1:3000/health

roles: ${roles.join(', ')} (bureau needs --bureau)`

export const tokenCommand: CliCommand = {
  summary: 'print a token for trying the API',
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
    const { role, bureau, user, expires } = parsed.values
    if (!role || !roles.includes(role as Role))
      throw new CliError(`--role must be one of ${roles.join(', ')}`)
    if (role === 'bureau' && !bureau) throw new CliError('a bureau token needs --bureau <id>')
    const config = loadConfig()
    const token = signToken(config, {
      role: role as Role,
      user: user ?? `${role}${bureau ? `@${bureau}` : ''}`,
      expiresIn: expires,
      ...(bureau ? { bureauId: bureau } : {}),
    })
    process.stdout.write(`${token}\n`)
    return 0
  },
}
