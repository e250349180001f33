import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { fromMessage } from '@coord/contracts'
import { bureauTopic } from '@coord/relay'
import t from 'tap'
import {
  allEvents,
  caughtUp,
  kafkaClient,
  openTestStore,
  progress,
  startRelay,
  taskStart,
  unique,
} from './support/store.ts'

// Interoperability, real PostgreSQL and Kafka, and two tools nobody here wrote: kcat (librdkafka)
// reads a bureau's topic and shows the CloudEvents headers; buf, given only the published .proto
// files of proto/coord/v1, decodes each payload. Neither knows our TypeScript.

const run = promisify(execFile)
const root = join(import.meta.dirname, '..', '..')
const buf = join(root, 'packages', 'contracts', 'node_modules', '.bin', 'buf')

/** A record as `kcat -J` prints it: headers as a flat [name, value, name, value…] list. */
interface KcatRecord {
  topic: string
  partition: number
  offset: number
  key: string
  headers: string[]
}

function headerMap(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i] ?? ''] = flat[i + 1] ?? ''
  return out
}

t.test(
  'kcat reads a bureau topic with CloudEvents headers, and buf decodes its payloads with the published proto',
  async (t) => {
    const { brokers } = kafkaClient()
    const broker = brokers[0] ?? ''
    const { store } = await openTestStore(t, 'kcat')
    const bureau = `区知识产权局-${unique('k')}`
    const planId = unique('plan')
    const streamId = `task-${planId}/三.(二).7`
    await store.appendToStream(streamId, [
      ...taskStart(planId, '三.(二).7', bureau, unique('p')),
      progress(bureau, 30),
      progress(bureau, 60),
    ])
    const name = unique('relay-kcat')
    await startRelay(t, store, brokers, name)
    await caughtUp(store, name)
    const expected = await allEvents(store)
    const topic = bureauTopic(bureau)
    t.match(topic, /^coord\.bureau\.x\.[0-9a-f]+$/, 'a Chinese bureau id has the hex topic')

    const listed = await run('kcat', ['-b', broker, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-J'], {
      timeout: 120_000,
    })
    const records = listed.stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as KcatRecord)
      .sort((a, b) => a.partition - b.partition || a.offset - b.offset)
    t.equal(records.length, expected.length, `kcat reads the ${expected.length} events of the task`)

    const dir = mkdtempSync(join(tmpdir(), 'coord-kcat-'))
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    const image = join(dir, 'contract.binpb')
    await run(buf, ['build', join(root, 'proto'), '-o', image], { timeout: 60_000 })

    for (const [i, event] of expected.entries()) {
      const record = records[i]
      if (!record) break
      t.equal(record.key, streamId, `${event.type}: keyed by its stream`)
      t.same(
        headerMap(record.headers),
        {
          ce_specversion: '1.0',
          ce_id: event.id,
          ce_type: event.type,
          ce_source: '/coord/task',
          ce_subject: streamId,
          ce_time: event.metadata.recordedAt,
          'content-type': 'application/protobuf',
          ce_dataschema: `coord.v1.${event.type}`,
          coord_position: String(event.position),
          coord_revision: String(event.revision),
        },
        `${event.type}: the CloudEvents headers, as kcat reads them`,
      )

      // One record's value, raw: kcat's JSON output cannot carry binary payloads intact.
      const value = await run(
        'kcat',
        [
          '-b',
          broker,
          '-C',
          '-t',
          topic,
          '-p',
          String(record.partition),
          '-o',
          String(record.offset),
          '-c',
          '1',
          '-e',
          '-q',
          '-f',
          '%s',
        ],
        { encoding: 'buffer', timeout: 120_000 },
      )
      const payload = join(dir, `${record.offset}.binpb`)
      writeFileSync(payload, value.stdout)
      const converted = await run(
        buf,
        ['convert', image, '--type', `coord.v1.${event.type}`, '--from', payload, '--to', '-#format=json'],
        { timeout: 120_000 },
      )
      const decoded = JSON.parse(converted.stdout) as Record<string, unknown>
      t.match(
        decoded,
        {
          meta: {
            eventId: event.id,
            streamId,
            revision: String(event.revision),
            type: event.type,
            task: { planId, taskId: '三.(二).7' },
          },
        },
        `${event.type}: buf decodes the envelope from the published proto`,
      )
      const data = event.data as Record<string, unknown>
      const fields =
        event.type === 'TaskAssigned'
          ? { leads: data.leads, partners: data.partners }
          : { bureauId: data.bureauId, percent: data.percent, narrative: data.narrative }
      t.match(decoded, fields, `${event.type}: and its data`)
      t.same(fromMessage(event.type, value.stdout).data, event.data, `${event.type}: our own decoder agrees`)
    }
  },
)
