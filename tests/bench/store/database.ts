import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { testDatabaseUrl } from '@coord/eventstore/testing'

/** A database of its own for one benchmark run, so every system starts from empty tables. */
export async function createBenchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = testDatabaseUrl()
  const name = `coord_bench_${randomBytes(4).toString('hex')}`
  await adminQuery(admin, `create database ${name}`)
  const url = new URL(admin)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: () => adminQuery(admin, `drop database if exists ${name} with (force)`),
  }
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}
