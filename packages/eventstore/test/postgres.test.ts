import { openPostgresStore } from '../src/index.ts'
import { createTestSchema } from '../src/testing.ts'
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
