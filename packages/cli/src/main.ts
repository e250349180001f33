#!/usr/bin/env node
// `pnpm coord <command>`: the platform's command line for operators, the plan office and auditors.
import { auditCommand } from './commands/audit.ts'
import { planCommand } from './commands/plan.ts'
import { subscribeCommand } from './commands/subscribe.ts'
import { tokenCommand } from './commands/token.ts'
import { ConfigError } from '@coord/service-kit'
import { CliError, type CliCommand } from './cli.ts'

const commands: Record<string, CliCommand> = {
  token: tokenCommand,
  plan: planCommand,
  subscribe: subscribeCommand,
  audit: auditCommand,
}

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  coord ${name.padEnd(8)} ${c.summary}`)
  return [
    'usage: coord <command> [options]',
    '',
    ...lines,
    '',
    'coord <command> --help for its options',
  ].join('\n')
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`)
    return name ? 0 : 2
  }
  const command = commands[name]
  if (!command) throw new CliError(`unknown command '${name}'\n\n${usage()}`)
  return command.run(rest)
}

// A reader that closes the pipe early (`| head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0)
  throw error
})

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    if (error instanceof CliError || error instanceof ConfigError) {
      // A configuration the command cannot use (a bad DATABASE_URL, a missing key) is the user's to fix.
      process.stderr.write(`coord: ${error.message}\n`)
      process.exitCode = error instanceof CliError ? error.exitCode : 2
    } else {
      process.stderr.write(
        `coord: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      )
      process.exitCode = 1
    }
  },
)
