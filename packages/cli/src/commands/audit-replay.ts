import { existsSync, readdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { openEventStore } from '@coord/eventstore'
import {
  modelTables,
  openEmbeddedReadDb,
  openPostgresReadDb,
  replayAsOf,
  replayInstant,
  type ReadDb,
  type ReplayResult,
} from '@coord/projector'
import { loadConfig } from '@coord/service-kit'
import { CliError } from '../cli.ts'
import { ProgressBar } from '../progress.ts'

export interface ReplayCliOptions {
  asOf: string | undefined
  schema: string | undefined
  schemaOut: string | undefined
  out: string | undefined
  replace: boolean
  json: boolean
}

type Target = { kind: 'schema'; schema: string } | { kind: 'directory'; dir: string }

const schemaPattern = /^[a-z_][a-z0-9_]{0,50}$/i
const dayPattern = /^\d{4}-\d{2}-\d{2}$/

/** The instant `--as-of` names, as a UTC ISO string; a usage error when it names none. */
export function asOfInstant(value: string | undefined): string {
  if (value === undefined) throw new CliError('replay needs --as-of <YYYY-MM-DD | ISO timestamp>')
  try {
    return replayInstant(value)
  } catch {
    throw new CliError(
      `--as-of must be a day YYYY-MM-DD (its end, China Standard Time) or an ISO timestamp with a zone, got '${value}'`,
    )
  }
}

/** `20191231` for a day, `20191231_235959` for an instant (its wall time in China Standard Time). */
export function replaySuffix(asOf: string, instant: string): string {
  if (dayPattern.test(asOf)) return asOf.replaceAll('-', '')
  const cst = new Date(Date.parse(instant) + 8 * 3600_000).toISOString()
  return `${cst.slice(0, 10).replaceAll('-', '')}_${cst.slice(11, 19).replaceAll(':', '')}`
}

/** Where the replay goes: checked before anything is opened, so bad options change nothing. */
function targetOf(
  options: ReplayCliOptions,
  databaseUrl: string | undefined,
  dataDir: string,
  suffix: string,
) {
  const { schema, schemaOut, out } = options
  if (schema !== undefined && !schemaPattern.test(schema)) {
    throw new CliError(`--schema must be a schema name, got '${schema}'`)
  }
  if (databaseUrl) {
    if (out !== undefined)
      throw new CliError('--out names a directory for the embedded store; use --schema-out')
    const name = schemaOut ?? `audit_replay_${suffix}`
    if (!schemaPattern.test(name)) throw new CliError(`--schema-out must be a schema name, got '${name}'`)
    return { kind: 'schema', schema: name } satisfies Target
  }
  if (schemaOut !== undefined) throw new CliError('--schema-out needs DATABASE_URL; use --out <dir>')
  if (schema !== undefined) throw new CliError('--schema needs DATABASE_URL')
  return { kind: 'directory', dir: resolve(out ?? join(dataDir, `audit-replay-${suffix}`)) } satisfies Target
}

/**
 * `coord audit replay`: every read model rebuilt from the events recorded up to `--as-of` into a
 * schema or directory of its own, with progress on standard error and each table's digest on
 * standard output.
 */
export async function auditReplay(options: ReplayCliOptions): Promise<number> {
  const asOf = asOfInstant(options.asOf)
  const config = loadConfig()
  const suffix = replaySuffix(options.asOf as string, asOf)
  const target = targetOf(options, config.databaseUrl, config.dataDir, suffix)
  const store = await openEventStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    ...(options.schema ? { schema: options.schema } : {}),
  })
  try {
    const db = await openTarget(target, config.databaseUrl, options.replace)
    const bar = new ProgressBar({ sink: process.stderr, label: 'replay' })
    let result: ReplayResult
    try {
      result = await replayAsOf({
        store,
        asOf,
        target: db,
        onProgress: ({ applied, total }) => bar.update(applied, total),
      })
    } finally {
      await db.close()
    }
    bar.finish(result.events)
    process.stdout.write(
      options.json ? `${JSON.stringify({ ...result, target }, null, 2)}\n` : table(result, target),
    )
    return 0
  } finally {
    await store.close()
  }
}

async function openTarget(
  target: Target,
  databaseUrl: string | undefined,
  replace: boolean,
): Promise<ReadDb> {
  if (target.kind === 'schema') {
    const connectionString = databaseUrl as string
    let db = await openPostgresReadDb({ connectionString, schema: target.schema, poolSize: 2 })
    const tables = await tablesIn(db)
    if (tables.length === 0) return db
    if (!replace || !tables.includes('rm_replay')) {
      await db.close()
      throw inUse(`schema ${target.schema}`, tables.length, replace)
    }
    await db.query(`drop schema "${target.schema}" cascade`)
    await db.close()
    db = await openPostgresReadDb({ connectionString, schema: target.schema, poolSize: 2 })
    return db
  }
  if (existsSync(target.dir) && readdirSync(target.dir).length > 0) {
    // Only a PGlite directory that holds an earlier replay may be replaced.
    const replaceable =
      replace && existsSync(join(target.dir, 'PG_VERSION')) && (await holdsReplay(target.dir))
    if (!replaceable) throw inUse(target.dir, null, replace)
    rmSync(target.dir, { recursive: true, force: true })
  }
  return openEmbeddedReadDb({ dataDir: target.dir })
}

async function tablesIn(db: ReadDb): Promise<string[]> {
  const rows = await db.query<{ table_name: string }>(
    'select table_name from information_schema.tables where table_schema = current_schema()',
  )
  return rows.map((row) => row.table_name)
}

async function holdsReplay(dir: string): Promise<boolean> {
  const db = await openEmbeddedReadDb({ dataDir: dir })
  try {
    return (await tablesIn(db)).includes('rm_replay')
  } finally {
    await db.close()
  }
}

function inUse(where: string, tables: number | null, replace: boolean): CliError {
  const holds = tables === null ? 'is not empty' : `already holds ${tables} tables`
  const hint = replace
    ? 'only an earlier replay (with its rm_replay table) is replaced'
    : 'pass --replace to overwrite an earlier replay, or name another target'
  return new CliError(`${where} ${holds}: ${hint}`)
}

function table(result: ReplayResult, target: Target): string {
  const where = target.kind === 'schema' ? `schema ${target.schema}` : target.dir
  const width = Math.max(...modelTables.map((name) => name.length))
  const lines = [
    `replayed ${result.events} events recorded up to ${result.asOf} (last position ${result.lastPosition})`,
    `into ${where} (read-model version ${result.version})`,
    '',
    `${'table'.padEnd(width)}  ${'rows'.padStart(8)}  md5`,
    ...modelTables.map((name) => {
      const { rows, md5 } = result.digest[name]
      return `${name.padEnd(width)}  ${String(rows).padStart(8)}  ${md5}`
    }),
  ]
  return `${lines.join('\n')}\n`
}
