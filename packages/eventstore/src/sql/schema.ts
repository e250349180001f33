import type { SqlDriver } from './driver.ts'

/**
 * Versioned migrations, applied in order, each once. Never edit a published one: add the next.
 * Positions are not a sequence: the append transaction takes them from the one row of
 * `es_position` under its row lock, so positions are dense and commit in order (see docs).
 */
const migrations: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      create table es_events (
        position bigint primary key,
        id uuid not null unique,
        stream_id text not null,
        revision bigint not null,
        type text not null,
        schema_version integer not null,
        data jsonb not null,
        metadata jsonb not null,
        recorded_at timestamptz not null,
        unique (stream_id, revision)
      );
      create table es_streams (
        stream_id text primary key,
        revision bigint not null,
        position bigint not null
      );
      create table es_position (
        id integer primary key check (id = 1),
        position bigint not null,
        recorded_at timestamptz not null
      );
      insert into es_position values (1, 0, '-infinity');
      create table es_idempotency (
        key text primary key,
        fingerprint text not null,
        stream_id text not null,
        revision bigint not null,
        position bigint not null
      );
    `,
  },
  {
    // Where each named reader of the log (relay, process managers) has got to.
    version: 2,
    sql: `
      create table es_checkpoints (
        name text primary key,
        position bigint not null,
        updated_at timestamptz not null
      );
    `,
  },
]

export const schemaVersion = migrations.length

/** Applies the migrations not yet applied; safe when several processes start at once. */
export async function migrate(driver: SqlDriver): Promise<void> {
  await driver.transaction(async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(hashtext('coord_es_migrations'))`)
    await tx.query(
      'create table if not exists es_migrations (version integer primary key, applied_at timestamptz not null default now())',
    )
    const rows = await tx.query<{ version: number }>('select version from es_migrations')
    const applied = new Set(rows.map((r) => Number(r.version)))
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue
      for (const statement of splitStatements(migration.sql)) await tx.query(statement)
      await tx.query('insert into es_migrations (version) values ($1)', [migration.version])
    }
  })
}

function splitStatements(sql: string): string[] {
  return sql
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}
