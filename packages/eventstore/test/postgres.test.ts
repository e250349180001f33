import { randomBytes } from 'node:crypto'
import pg from 'pg'
import t from 'tap'
import { openPostgresStore } from '../src/index.ts'
import { createTestSchema, testDatabaseUrl } from '../src/testing.ts'
import { existenceFeatures, type StorePlace } from './contract/existence.ts'
import { testEventStore } from './contract/features.ts'

testEventStore('postgres', async () => {
  const { connectionString, schema, drop } = await createTestSchema('es_contract')
  const store = await openPostgresStore({ connectionString, schema, pageSize: 7 })
  return {
    store,
    teardown: async () => {
      await store.close()
      await drop()
    },
  }
})

async function catalogue<Row>(sql: string, params: unknown[]): Promise<Row[]> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() })
  await client.connect()
  try {
    return (await client.query(sql, params)).rows as Row[]
  } finally {
    await client.end()
  }
}

/** A schema and what it holds: null when it does not exist, else its tables. */
function schemaPlace(connectionString: string, schema: string, drop: () => Promise<void>): StorePlace {
  return {
    open: (options) => openPostgresStore({ connectionString, schema, ...options }),
    contents: async () => {
      const [found] = await catalogue('select 1 from pg_namespace where nspname = $1', [schema])
      if (found === undefined) return null
      const tables = await catalogue<{ name: string }>(
        'select table_name as name from information_schema.tables where table_schema = $1 order by 1',
        [schema],
      )
      return tables.map((row) => row.name)
    },
    remove: drop,
  }
}

existenceFeatures(t, {
  'a schema that does not exist': () => {
    const schema = `es_missing_${randomBytes(5).toString('hex')}`
    const drop = () => catalogue(`drop schema if exists "${schema}" cascade`, []).then(() => undefined)
    return Promise.resolve(schemaPlace(testDatabaseUrl(), schema, drop))
  },
  'an empty schema': async () => {
    const { connectionString, schema, drop } = await createTestSchema('es_empty')
    return schemaPlace(connectionString, schema, drop)
  },
})
