import type { SqlClient } from './db.ts'
import { modelTables, tablesOf, type ModelTable } from './schema.ts'

export type VersionDigest = Record<ModelTable, { rows: number; md5: string }>

/**
 * A digest of every table of a version: its row count and the md5 of its rows' md5s in order (the
 * rows' text hashed one by one, so a table of any size, a million task versions of ~1 KB included,
 * never becomes one string). Two versions built from the same events have equal digests, whatever
 * crashes happened between.
 */
export async function digestVersion(db: SqlClient, version: number): Promise<VersionDigest> {
  const t = tablesOf(version)
  const digest = {} as VersionDigest
  for (const name of modelTables) {
    const [row] = await db.query<{ rows: number; md5: string }>(
      `select count(*)::int as rows, md5(coalesce(string_agg(h, '' order by h), '')) as md5
       from (select md5(r::text) as h from ${t[name]} r) hashed`,
    )
    digest[name] = { rows: row?.rows ?? 0, md5: row?.md5 ?? '' }
  }
  return digest
}
