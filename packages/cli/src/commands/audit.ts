import { createPublicKey, type KeyObject } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import type { Writable } from 'node:stream'
import { HistoryVerifier, leafText } from '@coord/audit'
import { openEventStore } from '@coord/eventstore'
import { loadConfig } from '@coord/service-kit'
import { CliError, parse, type CliCommand } from '../cli.ts'
import { auditReport } from './audit-report.ts'
import { auditReplay } from './audit-replay.ts'

const help = `usage: coord audit export [--out <file>] [--schema <name>]
       coord audit verify --events <file.jsonl> --heads <heads.json> [--public-key <pem>]
       coord audit report --year <YYYY> [--bureau <id>] [--out <dir>] [--format html,pdf,json]
       coord audit replay --as-of <YYYY-MM-DD | ISO timestamp> [--schema-out <name> | --out <dir>]
                          [--replace] [--json]

export   writes every event of the store (DATABASE_URL, else the embedded store in DATA_DIR; stop
         the platform first, the embedded store has one process) as canonical JSON lines, the
         leaves of the notary's Merkle log, to --out or standard output.
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
         --out (default the current directory); the PDF is printed by /usr/bin/chromium.
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
           --replace     overwrite a target that holds an earlier replay (never anything else)
           --json        the digest as JSON
           --schema      the store's PostgreSQL schema (default public)`

export const auditCommand: CliCommand = {
  summary: 'export or verify the history, report a year, replay the read models as of a date',
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
    const [sub, ...extra] = parsed.positionals
    if (extra.length > 0) throw new CliError(`unexpected argument '${extra[0]}'\n\n${help}`)
    if (sub === 'export') return exportHistory(parsed.values.out, parsed.values.schema)
    if (sub === 'verify') {
      const { events, heads } = parsed.values
      if (!events || !heads) throw new CliError(`verify needs --events and --heads\n\n${help}`)
      return verify(events, heads, parsed.values['public-key'])
    }
    if (sub === 'report') {
      const { year, bureau, out, format, schema } = parsed.values
      return auditReport({ year, bureau, out, format, schema })
    }
    if (sub === 'replay') {
      const { out, schema, replace = false, json = false } = parsed.values
      const [asOf, schemaOut] = [parsed.values['as-of'], parsed.values['schema-out']]
      return auditReplay({ asOf, schema, schemaOut, out, replace, json })
    }
    throw new CliError(help)
  },
}

async function exportHistory(out: string | undefined, schema: string | undefined): Promise<number> {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,50}$/i.test(schema)) {
    throw new CliError(`--schema must be a schema name, got '${schema}'`)
  }
  const config = loadConfig()
  const store = await openEventStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    ...(schema ? { schema } : {}),
  })
  const sink: Writable = out ? createWriteStream(out) : process.stdout
  let count = 0
  try {
    for await (const event of store.readAll()) {
      if (!sink.write(`${leafText(event)}\n`)) await once(sink, 'drain')
      count += 1
    }
  } finally {
    await store.close()
    if (out)
      await new Promise<void>((resolve, reject) =>
        sink.end((error?: Error | null) => (error ? reject(error) : resolve())),
      )
  }
  process.stderr.write(`exported ${count} events${out ? ` to ${out}` : ''}\n`)
  return 0
}

async function verify(eventsFile: string, headsFile: string, keyFile: string | undefined): Promise<number> {
  const { heads, embeddedKey } = await readHeads(headsFile)
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
