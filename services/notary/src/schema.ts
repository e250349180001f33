import type { NotaryDb } from './db.ts'

// The notary's tables. Hashes are bytea; positions and sizes bigint (read back as text, turned
// into numbers: a log stays far below 2^53 leaves).
const migrations: string[] = [
  `create table if not exists notary_leaves (
     leaf_index bigint primary key,
     position bigint not null unique,
     event_id text not null,
     hash bytea not null
   );
   create table if not exists notary_nodes (
     level smallint not null check (level > 0),
     idx bigint not null,
     hash bytea not null,
     primary key (level, idx)
   );
   create table if not exists notary_state (
     id smallint primary key check (id = 1),
     tree_size bigint not null,
     checkpoint bigint not null,
     root_hash bytea not null,
     last_recorded_at text
   );
   insert into notary_state (id, tree_size, checkpoint, root_hash)
     values (1, 0, 0, sha256(''::bytea)) on conflict (id) do nothing;
   create table if not exists notary_heads (
     seq bigserial primary key,
     tree_size bigint not null,
     root_hash bytea not null,
     signed_at text not null,
     key_id text not null,
     signature text not null,
     reason text not null check (reason in ('schedule', 'request', 'year-end')),
     year_end integer unique
   );
   create index if not exists notary_heads_size on notary_heads (tree_size);`,
]

/** Creates or upgrades the tables, one numbered step at a time, under a lock on the version row. */
export async function migrateNotaryDb(db: NotaryDb): Promise<void> {
  await db.query('create table if not exists notary_migrations (version integer primary key)')
  await db.transaction(async (tx) => {
    await tx.query('lock table notary_migrations in exclusive mode')
    const rows = await tx.query<{ version: number }>(
      'select coalesce(max(version), 0) as version from notary_migrations',
    )
    for (let version = (rows[0]?.version ?? 0) + 1; version <= migrations.length; version++) {
      for (const statement of (migrations[version - 1] as string).split(/;\s*\n/)) {
        if (statement.trim()) await tx.query(statement)
      }
      await tx.query('insert into notary_migrations (version) values ($1)', [version])
    }
  })
}
