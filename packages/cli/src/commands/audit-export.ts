import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { leafText } from '@coord/audit'
import type { EventStore } from '@coord/eventstore'
import { checkSchema, onDatabase, openExistingStore, storeConfig } from '../database.ts'
import { checkFileTarget, writeFileWhole } from '../files.ts'

/**
 * `coord audit export`: every event as canonical JSON lines, to standard output or whole to a
 * file. The store must exist: an export of nothing creates nothing.
 */
export async function exportHistory(out: string | undefined, schema: string | undefined): Promise<number> {
  checkSchema(schema)
  if (out !== undefined) await checkFileTarget(out)
  const config = storeConfig()
  let count = 0
  await onDatabase(config.databaseUrl, async () => {
    const store = await openExistingStore(config, schema)
    try {
      const chunks = leafChunks(store, () => (count += 1))
      await (out === undefined ? writeAll(chunks, process.stdout) : writeFileWhole(out, chunks))
    } finally {
      await store.close()
    }
  })
  process.stderr.write(`exported ${count} events${out ? ` to ${out}` : ''}\n`)
  return 0
}

/** The store's events as leaf lines, in chunks of about 64 KiB; `onEvent` counts them. */
async function* leafChunks(store: EventStore, onEvent: () => void): AsyncIterable<string> {
  let chunk = ''
  for await (const event of store.readAll()) {
    chunk += `${leafText(event)}\n`
    onEvent()
    if (chunk.length >= 65_536) {
      yield chunk
      chunk = ''
    }
  }
  if (chunk !== '') yield chunk
}

async function writeAll(chunks: AsyncIterable<string>, sink: Writable): Promise<void> {
  for await (const chunk of chunks) if (!sink.write(chunk)) await once(sink, 'drain')
}
