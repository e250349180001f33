export interface ConfigProblem {
  /** The environment variable (or `.env`) at fault. */
  variable: string
  message: string
}

/** The configuration cannot be used; the message names every variable at fault. */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[]

  constructor(problems: ConfigProblem[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.variable}: ${p.message}`).join('; ')}`)
    this.name = 'ConfigError'
    this.problems = Object.freeze(problems)
  }
}
