import { openPostgresStore } from '../src/index.ts'
import type { EventStore, PostgresStoreOptions } from '../src/index.ts'
import { createTestSchema } from '../src/testing.ts'
import { within } from './contract/helpers.ts'
import type { Test } from './contract/helpers.ts'

type StoreOptions = Omit<PostgresStoreOptions, 'connectionString' | 'schema'>

/**
 * A schema of its own and a function opening store instances on it, each standing for another
 * process. Teardown closes every instance, then drops the schema.
 */
export async function sharedSchema(t: Test, prefix: string) {
  const { connectionString, schema, drop } = await createTestSchema(prefix)
  const opened: EventStore[] = []
  // Bounded: a close that never settles fails by name instead of stalling the run.
  t.teardown(async () => {
    await within(Promise.all(opened.map((store) => store.close())), 'the stores to close')
    await drop()
  })
  const open = async (options: StoreOptions = {}, url = connectionString): Promise<EventStore> => {
    const store = await openPostgresStore({ connectionString: url, schema, ...options })
    opened.push(store)
    return store
  }
  return { connectionString, schema, open }
}
