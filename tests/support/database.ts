import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Test } from 'tap'
import { testDatabaseUrl } from '@coord/eventstore/testing'

/**
 * A database of its own on the test server (DATABASE_URL, else the local one), dropped with the
 * test: for processes that use the default schemas of the database they are given.
 */
export async function freshDatabase(t: Test, prefix = 'coord'): Promise<string> {
  const admin = testDatabaseUrl()
  const name = `${prefix}_${randomBytes(5).toString('hex')}`
  const query = async (sql: string) => {
    const client = new pg.Client({ connectionString: admin })
    await client.connect()
    try {
      await client.query(sql)
    } finally {
      await client.end()
    }
  }
  await query(`create database ${name}`)
  t.teardown(() => query(`drop database if exists ${name} with (force)`))
  const url = new URL(admin)
  url.pathname = `/${name}`
  return url.toString()
}
