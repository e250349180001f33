import { join, resolve } from 'node:path'
import type { EventStore } from '@coord/eventstore'
import {
  modelTables,
  replayAsOf,
  replayInstant,
  type ReadDb,
  type ReplayResult,
  type ReplayStage,
} from '@coord/projector/replay'
import { CliError } from '../cli.ts'
import { checkSchema, onDatabase, openExistingStore, storeConfig } from '../database.ts'
import { checkDirectoryTarget } from '../files.ts'
import { onInterrupt } from '../interrupt.ts'
import { ProgressBar } from '../progress.ts'
import { openTarget, targetName, type Target } from '../replay-target.ts'

export interface ReplayCliOptions {
  asOf: string | undefined
  schema: string | undefined
  schemaOut: string | undefined
  out: string | undefined
  replace: boolean
  json: boolean
}

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
  checkSchema(schema)
  if (databaseUrl) {
    if (out !== undefined)
      throw new CliError('--out names a directory for the embedded store; use --schema-out')
    const name = schemaOut ?? `audit_replay_${suffix}`
    checkSchema(name, '--schema-out')
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
  const config = storeConfig()
  const suffix = replaySuffix(options.asOf as string, asOf)
  const target = targetOf(options, config.databaseUrl, config.dataDir, suffix)
  if (target.kind === 'directory') await checkDirectoryTarget(target.dir)
  const result = await onDatabase(config.databaseUrl, async () => {
    const store = await openExistingStore(config, options.schema)
    try {
      const db = await openTarget(target, config.databaseUrl, options.replace)
      return await replayInto(store, asOf, db, target)
    } finally {
      await store.close()
    }
  })
  process.stdout.write(
    options.json ? `${JSON.stringify({ ...result, target }, null, 2)}\n` : table(result, target),
  )
  return 0
}

/** What the progress says while a replay is past its last event. */
const stages: Record<ReplayStage, string> = {
  indexing: 'every event applied; making the keys and indexes',
  digesting: 'digesting the tables',
}

/**
 * The replay itself, with its progress. Stopped half way (a failure, Ctrl-C), it leaves the target
 * claimed as an unfinished replay, which says so and which `--replace` replaces.
 */
async function replayInto(
  store: EventStore,
  asOf: string,
  db: ReadDb,
  target: Target,
): Promise<ReplayResult> {
  const bar = new ProgressBar({ sink: process.stderr, label: 'replay' })
  const unfinished = () =>
    process.stderr.write(`\ncoord: ${targetName(target)} holds an unfinished replay; --replace replaces it\n`)
  const release = onInterrupt(unfinished)
  try {
    const result = await replayAsOf({
      store,
      asOf,
      target: db,
      onProgress: ({ applied, total }) => bar.update(applied, total),
      onStage: (stage) => bar.stage(stages[stage]),
    })
    bar.finish(result.events)
    return result
  } catch (error) {
    unfinished()
    throw error
  } finally {
    release()
    await db.close()
  }
}

function table(result: ReplayResult, target: Target): string {
  const where = targetName(target)
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
