#!/usr/bin/env node
// `pnpm coord <command>`: the platform's command line for operators, the plan office and auditors.
import { ConfigError } from '@coord/service-kit/config'
import { CliError, type CliCommand } from './cli.ts'

interface CommandEntry {
  summary: string
  /** The command's module, loaded only when it runs: `--help` and each command load no other's. */
  load(): Promise<CliCommand>
}

const commands: Record<string, CommandEntry> = {
  token: {
    summary: 'print a token for trying the API',
    load: async () => (await import('./commands/token.ts')).tokenCommand,
  },
  plan: {
    summary: 'import a plan document (plan import <file> [--dry-run] [--json])',
    load: async () => (await import('./commands/plan.ts')).planCommand,
  },
  subscribe: {
    summary: "follow a bureau's events on Kafka (subscribe --bureau <id> [--from-beginning])",
    load: async () => (await import('./commands/subscribe.ts')).subscribeCommand,
  },
  audit: {
    summary: 'export or verify the history, report a year, replay the read models as of a date',
    load: async () => (await import('./commands/audit.ts')).auditCommand,
  },
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
  const entry = commands[name]
  if (!entry) throw new CliError(`unknown command '${name}'\n\n${usage()}`)
  return (await entry.load()).run(rest)
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
