import { randomBytes } from 'node:crypto'
import pg from 'pg'

/** The PostgreSQL server tests use: DATABASE_URL when set, else the local server (trust auth). */
export function testDatabaseUrl(): string {
  return process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
}

export interface TestSchema {
  connectionString: string
  schema: string
  drop: () => Promise<void>
}

/** A fresh schema of its own for one test run, dropped by `drop()`. */
export async function createTestSchema(prefix = 'test'): Promise<TestSchema> {
  const connectionString = testDatabaseUrl()
  const schema = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(5).toString('hex')}`
  await adminQuery(connectionString, `create schema "${schema}"`)
  return {
    connectionString,
    schema,
    drop: () => adminQuery(connectionString, `drop schema if exists "${schema}" cascade`),
  }
}

async function adminQuery(connectionString: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}
