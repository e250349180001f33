import { existsSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { openEmbeddedReadDb, openPostgresReadDb, type ReadDb } from '@coord/projector/replay'
import { CliError } from './cli.ts'

/** Where `coord audit replay` writes: a schema of the store's database, or a PGlite directory. */
export type Target = { kind: 'schema'; schema: string } | { kind: 'directory'; dir: string }

export function targetName(target: Target): string {
  return target.kind === 'schema' ? `schema ${target.schema}` : target.dir
}

/**
 * The target, empty: as found, or emptied when it holds an earlier replay (finished, or stopped
 * half way: a replay claims its target before anything else) and `replace` allows it. Anything
 * else that holds tables or files is refused, so nothing but a replay is ever overwritten.
 */
export async function openTarget(
  target: Target,
  databaseUrl: string | undefined,
  replace: boolean,
): Promise<ReadDb> {
  if (target.kind === 'schema') {
    const connectionString = databaseUrl as string
    const open = () => openPostgresReadDb({ connectionString, schema: target.schema, poolSize: 2 })
    const db = await open()
    const tables = await tablesIn(db)
    if (tables.length === 0) return db
    const replay = tables.includes('rm_replay') ? await replayState(db) : null
    if (!replace || replay === null) {
      await db.close()
      throw inUse(target, `already holds ${tables.length} tables`, replay, replace)
    }
    await db.query(`drop schema "${target.schema}" cascade`)
    await db.close()
    return open()
  }
  if (existsSync(target.dir) && readdirSync(target.dir).length > 0) {
    const replay = existsSync(join(target.dir, 'PG_VERSION')) ? await directoryReplay(target.dir) : null
    if (!replace || replay === null) throw inUse(target, 'is not empty', replay, replace)
    rmSync(target.dir, { recursive: true, force: true })
  }
  return openEmbeddedReadDb({ dataDir: target.dir })
}

type ReplayState = 'finished' | 'unfinished'

async function tablesIn(db: ReadDb): Promise<string[]> {
  const rows = await db.query<{ table_name: string }>(
    'select table_name from information_schema.tables where table_schema = current_schema()',
  )
  return rows.map((row) => row.table_name)
}

/** A replay's record: finished once it has a finishing time (replays before the claim had one always). */
async function replayState(db: ReadDb): Promise<ReplayState> {
  const [row] = await db.query<{ finished: boolean }>(
    'select bool_and(finished_at is not null) as finished from rm_replay',
  )
  return row?.finished === false ? 'unfinished' : 'finished'
}

async function directoryReplay(dir: string): Promise<ReplayState | null> {
  const db = await openEmbeddedReadDb({ dataDir: dir })
  try {
    return (await tablesIn(db)).includes('rm_replay') ? await replayState(db) : null
  } finally {
    await db.close()
  }
}

function inUse(target: Target, holds: string, replay: ReplayState | null, replace: boolean): CliError {
  if (replay !== null) {
    return new CliError(
      `${targetName(target)} holds ${replay === 'finished' ? 'an earlier' : 'an unfinished'} replay: ` +
        'pass --replace to overwrite it, or name another target',
    )
  }
  const hint = replace
    ? 'only an earlier replay (with its rm_replay table), finished or not, is replaced'
    : 'pass --replace to overwrite an earlier replay, or name another target'
  return new CliError(`${targetName(target)} ${holds}: ${hint}`)
}
