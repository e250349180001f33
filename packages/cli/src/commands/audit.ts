import { createPublicKey, type KeyObject } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { HistoryVerifier } from '@coord/audit'
import { CliError, parse, refuseExtraArguments, refuseOtherOptions, type CliCommand } from '../cli.ts'

const help = `usage: coord audit export [--out <file>] [--schema <name>]
       coord audit verify --events <file.jsonl> --heads <heads.json> [--public-key <pem>]
       coord audit report --year <YYYY> [--bureau <id>] [--out <dir>] [--format html,pdf,json]
       coord audit replay --as-of <YYYY-MM-DD | ISO timestamp> [--schema-out <name> | --out <dir>]
                          [--replace] [--json]

export   writes every event of the store (DATABASE_URL, else the embedded store in DATA_DIR; stop
         the platform first, the embedded store has one process) as canonical JSON lines, the
         leaves of the notary's Merkle log, to --out (written whole or not at all) or standard
         output. export, report and replay refuse a store that does not exist and create nothing.
           --schema      the store's PostgreSQL schema (default public)
verify   recomputes the Merkle tree of an export and checks it against signed tree heads (the
         answer of GET /audit/tree-heads, or an array of heads): each signature, the root at each
         head's size, the consistency between consecutive heads, and each event's position and
         revision. Exits 1 naming the first position where the history differs from a head.
           --public-key  the notary's public key (PEM, from GET /audit/public-key); without it the
                         key in the heads file is used, which only proves the file is self-consistent
report   the annual review (年度考核) of every bureau, or of --bureau, from the events recorded up to
         the end of --year (China Standard Time): every figure with the positions of its events, and
         a tree head signed with the notary's key (SIGNING_KEY_FILE, else the development key in
         DATA_DIR) over exactly those events. Writes report-<year>[-<bureau>].{html,pdf,json} to
         --out (default the current directory); the PDF is printed by chromium (CHROMIUM_PATH, default
         /usr/bin/chromium). Every file is made before any is written.
           --format      which files, comma-separated (default html,pdf,json)
           --schema      the store's PostgreSQL schema (default public)
replay   rebuilds every read model from the events recorded (recording time, not business time) up
         to --as-of, with the projector's own projections, into a schema or directory of its own, and
         prints each table's row count and md5: two replays of one history give equal digests.
         Progress (events/s, share done, time left) goes to standard error.
           --as-of       a day YYYY-MM-DD, meaning the end of that day in China Standard Time
                         (23:59:59.999+08:00), or an ISO timestamp with a zone
           --schema-out  with DATABASE_URL: the target schema (default audit_replay_<YYYYMMDD>, or
                         audit_replay_<YYYYMMDD_HHMMSS> in China Standard Time for a timestamp)
           --out         embedded store: the target PGlite directory (default
                         DATA_DIR/audit-replay-<YYYYMMDD>); stop the platform first
           --replace     overwrite a target that holds an earlier replay, finished or stopped half
                         way (never anything else)
           --json        the digest as JSON
           --schema      the store's PostgreSQL schema (default public)`

/** The options each subcommand takes; another's is a usage error rather than ignored. */
const subcommandOptions: Record<string, readonly string[]> = {
  export: ['out', 'schema'],
  verify: ['events', 'heads', 'public-key'],
  report: ['year', 'bureau', 'out', 'format', 'schema'],
  replay: ['as-of', 'schema', 'schema-out', 'out', 'replace', 'json'],
}

export const auditCommand: CliCommand = {
  async run(args) {
    const parsed = parse(
      args,
      {
        out: { type: 'string' },
        schema: { type: 'string' },
        events: { type: 'string' },
        heads: { type: 'string' },
        'public-key': { type: 'string' },
        year: { type: 'string' },
        bureau: { type: 'string' },
        format: { type: 'string' },
        'as-of': { type: 'string' },
        'schema-out': { type: 'string' },
        replace: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      help,
    )
    if (!parsed) return 0
    const [sub] = parsed.positionals
    refuseExtraArguments(parsed.positionals, 1, help)
    const allowed = sub === undefined ? undefined : subcommandOptions[sub]
    if (allowed === undefined) throw new CliError(help)
    refuseOtherOptions(parsed.values, allowed, `audit ${sub}`, help)
    if (sub === 'verify') {
      const { events, heads } = parsed.values
      if (!events || !heads) throw new CliError(`verify needs --events and --heads\n\n${help}`)
      return verify(events, heads, parsed.values['public-key'])
    }
    // export, report and replay load what they alone use (the store, the projector, chromium's
    // driver) when they run.
    if (sub === 'export') {
      const { exportHistory } = await import('./audit-export.ts')
      return exportHistory(parsed.values.out, parsed.values.schema)
    }
    if (sub === 'report') {
      const { year, bureau, out, format, schema } = parsed.values
      const { auditReport } = await import('./audit-report.ts')
      return auditReport({ year, bureau, out, format, schema })
    }
    const { out, schema, replace = false, json = false } = parsed.values
    const [asOf, schemaOut] = [parsed.values['as-of'], parsed.values['schema-out']]
    const { auditReplay } = await import('./audit-replay.ts')
    return auditReplay({ asOf, schema, schemaOut, out, replace, json })
  },
}

async function verify(eventsFile: string, headsFile: string, keyFile: string | undefined): Promise<number> {
  const { heads, embeddedKey } = await readHeads(headsFile)
  // With no head, nothing would be checked: the history could be anything.
  if (heads.length === 0) {
    throw new CliError(`${headsFile} holds no signed tree head: at least one is needed to verify against`)
  }
  const key = await publicKeyFrom(keyFile, embeddedKey)
  const verifier = new HistoryVerifier(heads, key)
  const lines = createInterface({ input: createReadStream(eventsFile), crlfDelay: Infinity })
  try {
    for await (const line of lines) if (verifier.add(line)) break
  } catch (error) {
    throw new CliError(
      `cannot read ${eventsFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    )
  } finally {
    lines.close()
  }
  const report = verifier.finish()
  if (report.problem) {
    const at =
      report.problem.position === undefined ? '' : `first differing position: ${report.problem.position}\n`
    process.stderr.write(
      `history differs from the signed tree heads (${report.problem.kind}): ${report.problem.message}\n${at}`,
    )
    return 1
  }
  const unsigned = report.events - report.verifiedSize
  process.stdout.write(
    `verified ${report.events} events against ${report.headsVerified} signed tree heads (up to position ${report.verifiedSize})` +
      `${unsigned > 0 ? `; the last ${unsigned} events are not covered by any head yet` : ''}\n`,
  )
  return 0
}

async function readHeads(file: string): Promise<{ heads: unknown[]; embeddedKey: string | undefined }> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read ${file}: ${error.code ?? error.message}`)
  })
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new CliError(`${file} is not JSON: ${(error as Error).message}`)
  }
  if (Array.isArray(value)) return { heads: value, embeddedKey: undefined }
  const record = (typeof value === 'object' && value !== null ? value : {}) as {
    heads?: unknown
    publicKey?: unknown
  }
  if (!Array.isArray(record.heads))
    throw new CliError(`${file} holds neither an array of heads nor { heads: [...] }`)
  return {
    heads: record.heads,
    embeddedKey: typeof record.publicKey === 'string' ? record.publicKey : undefined,
  }
}

async function publicKeyFrom(file: string | undefined, embedded: string | undefined): Promise<KeyObject> {
  let pem = embedded
  if (file !== undefined) {
    pem = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new CliError(`cannot read ${file}: ${error.code ?? error.message}`)
    })
  } else if (pem !== undefined) {
    process.stderr.write('note: using the public key found in the heads file; pass --public-key to pin it\n')
  }
  if (pem === undefined) throw new CliError('no public key: pass --public-key <pem> (GET /audit/public-key)')
  try {
    const key = createPublicKey(pem)
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`a ${key.asymmetricKeyType ?? 'unknown'} key`)
    return key
  } catch (error) {
    throw new CliError(`the public key is not an Ed25519 key in PEM (${(error as Error).message})`)
  }
}
