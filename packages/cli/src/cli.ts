import { parseArgs, type ParseArgsConfig } from 'node:util'

/** A failure to report in one line (no stack): bad usage, a refused request, a bad file. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message)
    this.name = 'CliError'
  }
}

/** A command of `coord`; its one-line summary is in main.ts, which loads the command when it runs. */
export interface CliCommand {
  run(args: string[]): number | Promise<number>
}

/** node:util's parseArgs, with its errors turned into usage errors. */
export function parse<T extends ParseArgsConfig['options']>(args: string[], options: T, help: string) {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${help}\n`)
    return null
  }
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true })
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n\n${help}`)
  }
}

/** A usage error for an option given that does not belong to `what` (another subcommand's). */
export function refuseOtherOptions(
  values: object,
  allowed: readonly string[],
  what: string,
  help: string,
): void {
  const other = Object.keys(values).find((name) => !allowed.includes(name))
  if (other !== undefined) throw new CliError(`--${other} does not apply to ${what}\n\n${help}`)
}

/** A usage error for arguments past the `count` a command takes. */
export function refuseExtraArguments(positionals: string[], count: number, help: string): void {
  const extra = positionals[count]
  if (extra !== undefined) throw new CliError(`unexpected argument '${extra}'\n\n${help}`)
}
