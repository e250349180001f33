import type { SqlClient } from './db.ts'
import { inLanes } from './lanes.ts'
import { modelTables, tablesOf, type ModelTable } from './schema.ts'

export type VersionDigest = Record<ModelTable, { rows: number; md5: string }>

/**
 * A digest of every table of a version: its row count and the md5 of its rows' md5s in order (the
 * rows' text hashed one by one, so a table of any size, a million task versions of ~1 KB included,
 * never becomes one string). Two versions built from the same events have equal digests, whatever
 * crashes happened between. Two tables are digested at a time: on a PostgreSQL pool, on two
 * connections, so by two of the server's processes (a statement on a client of one connection
 * waits for the one before).
 */
export async function digestVersion(db: SqlClient, version: number): Promise<VersionDigest> {
  const t = tablesOf(version)
  const tables = await inLanes(modelTables, 2, async (name) => {
    const [row] = await db.query<{ rows: number; md5: string }>(
      `select count(*)::int as rows, md5(coalesce(string_agg(h, '' order by h), '')) as md5
       from (select md5(r::text) as h from ${t[name]} r) hashed`,
    )
    return { rows: row?.rows ?? 0, md5: row?.md5 ?? '' }
  })
  return Object.fromEntries(modelTables.map((name, i) => [name, tables[i]])) as VersionDigest
}
