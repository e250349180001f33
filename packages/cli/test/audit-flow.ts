import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import t, { type Test } from 'tap'
import { leafText, type LeafEvent } from '@coord/audit'
import { openEmbeddedStore, openPostgresStore, uuidv7, type EventStore } from '@coord/eventstore'
import { createTestSchema } from '@coord/eventstore/testing'
import { Notary, openEmbeddedNotaryDb, openPostgresNotaryDb, type NotaryDb } from '@coord/notary'
import { generateKeyPairSync } from 'node:crypto'
import { cliEnv, runCli, tempDir } from './helpers.ts'

// What the `coord audit` tests share: `coord audit export` and `coord audit verify`, the real CLI in
// child processes, on one store adapter: events written through the store, logged and signed by the
// notary, exported, then altered in the export and in the database, and a history rewritten and
// signed again. audit-embedded.test.ts and audit-postgres.test.ts run it, one adapter each.

export interface Adapter {
  name: 'embedded' | 'postgres'
  open(
    t: Test,
    dir: string,
  ): Promise<{
    store: () => Promise<EventStore>
    notaryDb: () => Promise<NotaryDb>
    /** Runs SQL on the store's tables, with the store closed. */
    sql: (statement: string) => Promise<void>
    env: NodeJS.ProcessEnv
    exportArgs: string[]
  }>
}

export const adapters: Record<Adapter['name'], Adapter> = {
  embedded: {
    name: 'embedded',
    open: async (t, dir) => {
      const dataDir = join(dir, 'data')
      return {
        store: () => openEmbeddedStore({ dataDir }),
        notaryDb: () => openEmbeddedNotaryDb(),
        sql: async (statement) => {
          const db = await PGlite.create(dataDir)
          await db.exec(statement)
          await db.close()
        },
        env: cliEnv(dataDir),
        exportArgs: [],
      }
    },
  },
  postgres: {
    name: 'postgres',
    open: async (t, dir) => {
      const storeSchema = await createTestSchema('cli_audit')
      const logSchemas: (() => Promise<void>)[] = []
      t.teardown(async () => {
        await storeSchema.drop()
        for (const drop of logSchemas) await drop()
      })
      const { connectionString, schema } = storeSchema
      return {
        store: () => openPostgresStore({ connectionString, schema }),
        notaryDb: async () => {
          const log = await createTestSchema('cli_notary')
          logSchemas.push(log.drop)
          return openPostgresNotaryDb({ connectionString, schema: log.schema })
        },
        sql: async (statement) => {
          const client = new pg.Client({ connectionString, options: `-c search_path="${schema}"` })
          await client.connect()
          await client.query(statement)
          await client.end()
        },
        env: cliEnv(join(dir, 'data'), { DATABASE_URL: connectionString }),
        exportArgs: ['--schema', schema],
      }
    },
  },
}

const key = generateKeyPairSync('ed25519').privateKey

async function appendSome(store: EventStore, from: number, count: number): Promise<void> {
  for (let n = from; n < from + count; n++) {
    await store.appendToStream(`task-pudong-ip-2017/三.(一).${n % 5}`, [
      {
        id: uuidv7(),
        type: 'ProgressReported',
        data: { bureauId: 'bureau-ip', percent: n, narrative: `进展${n}` },
        metadata: {
          actor: { role: 'bureau', bureauId: 'bureau-ip', user: 'ip' },
          correlationId: uuidv7(),
          causationId: null,
          occurredAt: `2026-03-${String(1 + (n % 28)).padStart(2, '0')}T09:00:00.000Z`,
        },
      },
    ])
  }
}

/** Logs the store's history with a notary on a fresh log database, signing a head at each size. */
async function notarise(store: EventStore, db: NotaryDb, sizes: number[], append: boolean) {
  const notary = new Notary({ store, db, signingKey: key, headIntervalMs: 0, yearEndCheckMs: 0 })
  await notary.start()
  let size = append ? 0 : (sizes.at(-1) as number)
  for (const target of sizes) {
    if (append) await appendSome(store, size, target - size)
    size = target
    await notary.waitFor(target)
    await notary.signTreeHead()
  }
  const heads = { ...notary.publicKey(), heads: await notary.treeHeads() }
  await notary.stop()
  await db.close()
  return heads
}

/** The export with one event changed and written back canonically. */
function alter(lines: string[], position: number, change: (event: LeafEvent) => void): string[] {
  return lines.map((line, i) => {
    if (i + 1 !== position) return line
    const event = JSON.parse(line) as LeafEvent
    change(event)
    return leafText(event)
  })
}

/** The whole flow on one adapter: notarise, export, alter, verify. */
export function auditFlow(adapter: Adapter): void {
  t.test(`${adapter.name}: export and verify find every kind of alteration`, async (t) => {
    const dir = tempDir(t, 'coord-audit-')
    const db = await adapter.open(t, dir)
    const store = await db.store()
    const published = await notarise(store, await db.notaryDb(), [20, 40, 60], true)
    await store.close()
    const headsFile = join(dir, 'heads.json')
    const keyFile = join(dir, 'notary.pub.pem')
    writeFileSync(headsFile, JSON.stringify(published))
    writeFileSync(keyFile, published.publicKey)
    const exportFile = join(dir, 'events.jsonl')

    const exported = await runCli(['audit', 'export', '--out', exportFile, ...db.exportArgs], db.env)
    t.equal(exported.code, 0, exported.stderr)
    t.match(exported.stderr, /exported 60 events/)
    const lines = readFileSync(exportFile, 'utf8').trimEnd().split('\n')
    t.equal(lines.length, 60)

    const verify = async (events: string[] | null, heads: unknown = published, withKey = true) => {
      const eventsPath = join(dir, `events-${Math.random().toString(36).slice(2)}.jsonl`)
      const headsPath = join(dir, `heads-${Math.random().toString(36).slice(2)}.json`)
      writeFileSync(eventsPath, events ? `${events.join('\n')}\n` : readFileSync(exportFile))
      writeFileSync(headsPath, JSON.stringify(heads))
      const args = ['audit', 'verify', '--events', eventsPath, '--heads', headsPath]
      return runCli(withKey ? [...args, '--public-key', keyFile] : args, db.env)
    }

    const clean = await verify(null)
    t.equal(clean.code, 0, clean.stderr)
    t.match(clean.stdout, /verified 60 events against 3 signed tree heads \(up to position 60\)/)

    // Every field's alteration is checked in packages/audit (test/history.test.ts); here one of each
    // kind goes through the real command.
    const cases: [string, string[], RegExp][] = [
      ['data', alter(lines, 27, (e) => ((e.data as { percent: number }).percent += 1)), /positions 21 to 40/],
      [
        'a raw byte',
        lines.map((l, i) => (i === 30 ? l.replace('"percent":', '"percenu":') : l)),
        /positions 21 to 40/,
      ],
      ['deleted', lines.filter((_, i) => i !== 32), /position 33 is missing/],
      [
        'inserted',
        [...lines.slice(0, 11), lines[10] as string, ...lines.slice(11)],
        /line 12 holds position 11 again/,
      ],
      [
        'reordered',
        [...lines.slice(0, 43), lines[44] as string, lines[43] as string, ...lines.slice(45)],
        /position 44 is missing/,
      ],
      ['cut short', lines.slice(0, 55), /ends at position 55 .* covers 60/],
    ]
    const runs = await Promise.all(cases.map(([, altered]) => verify(altered)))
    for (const [i, [what, , message]] of cases.entries()) {
      const run = runs[i] as { code: number | null; stderr: string }
      t.equal(run.code, 1, `${what}: non-zero exit`)
      t.match(run.stderr, message, `${what}: ${run.stderr.trim()}`)
      t.match(run.stderr, /first differing position: \d+/, `${what}: names a position`)
    }

    // Now alter the database itself, export again, and have the notary log the altered history
    // afresh and sign it: the new heads agree with it, the heads published before do not.
    await db.sql(`update es_events set data = jsonb_set(data, '{percent}', '999') where position = 15`)
    await db.sql(`delete from es_events where position = 50`)
    const again = await runCli(['audit', 'export', '--out', exportFile, ...db.exportArgs], db.env)
    t.equal(again.code, 0, again.stderr)
    const tampered = readFileSync(exportFile, 'utf8').trimEnd().split('\n')
    t.equal(tampered.length, 59, 'the deleted row is gone from the export')
    const changed = await verify(null)
    t.equal(changed.code, 1)
    t.match(
      changed.stderr,
      /head of size 20 .* positions 1 to 20/,
      'the changed row is caught by the first head',
    )

    const rewritten = tampered.slice(0, 49)
    writeFileSync(exportFile, `${rewritten.join('\n')}\n`)
    const reopened = await db.store()
    const resigned = await notarise(reopened, await db.notaryDb(), [49], false)
    await reopened.close()
    const alone = await verify(null, resigned)
    t.equal(alone.code, 0, `the re-signed heads alone agree with the rewritten history: ${alone.stderr}`)
    const against = await verify(null, { ...resigned, heads: [published.heads[0], ...resigned.heads] })
    t.equal(against.code, 1)
    t.match(against.stderr, /root-mismatch.*head of size 20/, 'the head published before exposes the rewrite')
    const both = await verify(null, { ...resigned, heads: [...published.heads, ...resigned.heads] })
    t.equal(both.code, 1)

    const forged = {
      ...published,
      heads: published.heads.map((h, i) => (i === 1 ? { ...h, treeSize: 41 } : h)),
    }
    const forgedRun = await verify(lines, forged)
    t.equal(forgedRun.code, 1)
    t.match(forgedRun.stderr, /bad-signature/)
    const unpinned = await verify(lines, published, false)
    t.equal(unpinned.code, 0)
    t.match(unpinned.stderr, /pass --public-key to pin it/)
  })
}
