import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import t from 'tap'
import { loadConfig, signToken } from '@coord/service-kit'
import { platformInMemory } from './support/platform.ts'
import { record } from './support/results.ts'

// Production mode: introspection and the IDE are off there. Production demands a JWT secret, a
// data directory and the notary's signing key from files.
const dataDir = mkdtempSync(join(tmpdir(), 'coord-abuse-'))
const signingKeyFile = join(dataDir, 'notary.pem')
writeFileSync(
  signingKeyFile,
  generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
)
t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
const config = loadConfig(
  {
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'reliability-secret-of-at-least-32-characters',
    DATA_DIR: dataDir,
    SIGNING_KEY_FILE: signingKeyFile,
  },
  { envFile: false },
)

const nested = (depth: number) => {
  let inner = 'planId'
  for (let i = 0; i < depth; i++)
    inner = `plan { ${i % 2 === 0 ? 'sections { tasks { ' : ''}${inner}${i % 2 === 0 ? ' } }' : ''} }`
  return `{ planTree(planId: "p") { ${inner} } }`
}

const abuses: [string, unknown][] = [
  ['depth 50', { query: nested(50) }],
  [
    '10,000 aliases',
    { query: `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: meetings { meetingId }`).join(' ')} }` },
  ],
  [
    '500 aliases within the token limit',
    { query: `{ ${Array.from({ length: 500 }, (_, i) => `a${i}: __typename`).join(' ')} }` },
  ],
  ['a 1 MiB document', { query: `{ meetings { meetingId } } # ${'x'.repeat(1024 * 1024)}` }],
  ['batched queries', [{ query: '{ meetings { meetingId } }' }, { query: '{ meetings { meetingId } }' }]],
  ['introspection in production', { query: '{ __schema { types { name } } }' }],
  ['a field-duplication flood', { query: `{ meetings { ${'meetingId '.repeat(20_000)} } }` }],
]

t.test('hostile GraphQL documents are refused with a 4xx, quickly, with memory flat', async (t) => {
  const { app } = await platformInMemory(t, config)
  const token = `Bearer ${signToken(config, { role: 'auditor', user: 'abuse' })}`
  const figures: string[] = []
  let failures = 0
  // A full collection before each heap reading, so that the figure is what stays, not garbage.
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  const heap = () => {
    gc()
    return process.memoryUsage().heapUsed
  }
  const rounds = 5
  let heapAfterFirst = 0
  for (const [what, payload] of abuses) {
    const started = process.hrtime.bigint()
    let outcome = ''
    for (let i = 0; i < rounds; i++) {
      const response = await app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { authorization: token, 'content-type': 'application/json' },
        payload: JSON.stringify(payload),
      })
      const ok = response.statusCode >= 400 && response.statusCode < 500
      if (!ok) failures++
      if (i === 0) {
        t.ok(ok, `${what}: ${response.statusCode} ${response.body.slice(0, 120)}`)
        const code = (response.json<{ errors?: { extensions?: { code?: string } }[] }>().errors ?? [])[0]
          ?.extensions?.code
        outcome = `${response.statusCode} ${code ?? 'GRAPHQL_VALIDATION_FAILED'}`
      }
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6 / rounds
    figures.push(`${what}: ${outcome} in ${ms.toFixed(1)} ms`)
  }
  const ide = await app.inject({ method: 'GET', url: '/graphiql' })
  t.equal(ide.statusCode, 404, 'no IDE in production')
  // Memory: the whole hostile set again and again; what the heap keeps after the first pass.
  const again = async () => {
    for (const [, payload] of abuses) {
      await app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { authorization: token, 'content-type': 'application/json' },
        payload: JSON.stringify(payload),
      })
    }
  }
  await again()
  heapAfterFirst = heap()
  for (let i = 0; i < 10; i++) await again()
  const heapGrowth = (heap() - heapAfterFirst) / 1024 / 1024
  t.comment(
    `heap kept after 10 more passes of ${abuses.length} hostile requests: ${heapGrowth.toFixed(2)} MiB`,
  )
  record({
    row: 'GraphQL abuse in production mode',
    figure: `${figures.join('; ')}; IDE ${ide.statusCode}; heap kept after 10 more passes ${heapGrowth.toFixed(2)} MiB`,
    failures: failures + (ide.statusCode === 404 ? 0 : 1),
  })
})
