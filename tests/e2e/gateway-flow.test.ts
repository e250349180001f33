import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import WebSocket from 'ws'
import { openEmbeddedStore } from '@coord/eventstore'
import { accessRules, gatewaySchema, waitForHeader } from '@coord/gateway'
import { buildPlatform } from '@coord/platform'
import { openEmbeddedReadDb, Projector, ReadModels } from '@coord/projector'
import { loadConfig, signToken, type Config } from '@coord/service-kit'

// The whole platform on a real socket: HTTP commands → event store → projector → GraphQL queries
// that wait for the commands' positions, and a live subscription over a real WebSocket receiving the
// task's events; then who may read what, generated from the schema, and the gateway's refusals.

const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }, { envFile: false })
const example = readFileSync(
  new URL('../../packages/plan-import/examples/pudong-ip-demo-city-plan-2017-2019.txt', import.meta.url),
  'utf8',
)
const planId = 'pudong-ip-2017'
const taskId = '三.(二).7'
const lead = 'ip-office'
const partner = 'commerce'

const actors = {
  planner: { role: 'planner', user: 'plan-office' },
  secretariat: { role: 'secretariat', user: 'secretariat' },
  supervisor: { role: 'supervisor', user: 'supervision' },
  auditor: { role: 'auditor', user: 'auditor' },
  system: { role: 'system', user: 'system' },
  lead: { role: 'bureau', bureauId: lead, user: 'ip-office-clerk' },
  partner: { role: 'bureau', bureauId: partner, user: 'commerce-clerk' },
  foreign: { role: 'bureau', bureauId: 'justice', user: 'justice-clerk' },
} as const
type Who = keyof typeof actors
const tokenOf = (who: Who, on: Config = config) => signToken(on, actors[who])

async function platform(t: Test, on: Config) {
  const store = await openEmbeddedStore()
  const readDb = await openEmbeddedReadDb()
  const projector = new Projector({ store, db: readDb })
  const app = await buildPlatform(on, { store, readDb, projector })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(async () => {
    await app.close()
    await readDb.close()
    await store.close()
  })
  return { base, readDb }
}

interface Answer {
  status: number
  body: {
    data?: Record<string, unknown> | null
    errors?: { path?: (string | number)[]; extensions?: { code?: string } }[]
  }
}

function clients(base: string) {
  const command = async (who: Who, path: string, body: object) => {
    const res = await fetch(`${base}/planning${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenOf(who)}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    const answer = (await res.json()) as { position: number; events: string[] }
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(answer)}`)
    return answer
  }
  const graphql = async (
    who: Who | null,
    query: string,
    headers: Record<string, string> = {},
  ): Promise<Answer> => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(who ? { authorization: `Bearer ${tokenOf(who)}` } : {}),
        ...headers,
      },
      body: JSON.stringify({ query }),
    })
    return { status: res.status, body: (await res.json()) as Answer['body'] }
  }
  return { command, graphql }
}

/** A graphql-transport-ws subscription on a real socket, collecting the `next` payloads. */
async function subscription(base: string, who: Who, query: string) {
  const socket = new WebSocket(`${base.replace('http', 'ws')}/graphql`, 'graphql-transport-ws')
  const received: Record<string, unknown>[] = []
  const acked = new Promise<void>((resolve, reject) => {
    socket.on('message', (raw: Buffer) => {
      const message = JSON.parse(raw.toString('utf8')) as {
        type: string
        payload?: { data?: { taskEvents: Record<string, unknown> } }
      }
      if (message.type === 'connection_ack') resolve()
      else if (message.type === 'next' && message.payload?.data)
        received.push(message.payload.data.taskEvents)
      else if (message.type !== 'ka') reject(new Error(JSON.stringify(message)))
    })
  })
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
  socket.send(
    JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${tokenOf(who)}` } }),
  )
  await acked
  socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }))
  // terminate, not close: no closing handshake left waiting on a server that is shutting down.
  return { received, close: () => socket.terminate() }
}

async function until<T>(read: () => T, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const value = read()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}: ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

t.test(
  'commands over HTTP are read back through GraphQL with waitFor and pushed to the bureaus live',
  async (t) => {
    const { base, readDb } = await platform(t, config)
    const { command, graphql } = clients(base)
    await command('planner', '/plans/import', { text: example, planId })
    await command('planner', `/plans/${planId}/issue`, {})

    const live = await subscription(
      base,
      'lead',
      `subscription { taskEvents(bureauId: "${lead}") { position type taskId occurredAt recordedAt data summary } }`,
    )
    t.teardown(() => live.close())
    // graphql-transport-ws does not acknowledge a subscribe: give the server a moment to register it.
    await new Promise((resolve) => setTimeout(resolve, 300))

    const task = `/plans/${planId}/tasks/${encodeURIComponent(taskId)}`
    const steps: [Who, string, object][] = [
      ['planner', 'assign', { leads: [lead], partners: [partner] }],
      ['planner', 'deadline', { deadline: '2019-12-31' }],
      ['lead', 'acknowledge', { occurredAt: '2018-03-01T09:30:00+08:00' }],
      ['lead', 'progress', { percent: 40, narrative: '备案、承诺制度已起草' }],
    ]
    const positions: number[] = []
    for (const [who, action, body] of steps)
      positions.push((await command(who, `${task}/${action}`, body)).position)
    const last = positions.at(-1) ?? 0

    const view = await graphql(
      'lead',
      `{ bureauAccountability(bureauId: "${lead}") { position counts { total lead }
      tasks { role acknowledgedAt task { taskId status deadline plan { docNumber } partnerBureaus { bureauId }
        lastProgress { percent narrative } } } } }`,
      { [waitForHeader]: String(last) },
    )
    t.equal(view.status, 200, JSON.stringify(view.body.errors))
    const answer = view.body.data?.bureauAccountability as {
      position: number
      tasks: { role: string; acknowledgedAt: string; task: Record<string, unknown> }[]
    }
    t.ok(answer.position >= last, 'the view includes the last command')
    t.match(
      answer.tasks.find((entry) => entry.task.taskId === taskId),
      {
        role: 'lead',
        acknowledgedAt: '2018-03-01T09:30:00+08:00',
        task: {
          status: 'in_progress',
          deadline: '2019-12-31',
          plan: { docNumber: '浦府〔2017〕94号' },
          partnerBureaus: [{ bureauId: partner }],
          lastProgress: { percent: 40, narrative: '备案、承诺制度已起草' },
        },
      },
    )
    const timeline = await graphql(
      'partner',
      `{ taskTimeline(planId: "${planId}", taskId: "${taskId}", first: 4) { entries { position type occurredAt recordedAt } } }`,
      { [waitForHeader]: String(last) },
    )
    t.same(
      (timeline.body.data?.taskTimeline as { entries: { position: number }[] }).entries.map(
        (e) => e.position,
      ),
      [...positions].reverse(),
      'the partner reads the task’s timeline, newest first',
    )

    const pushed = await until(
      () => live.received,
      (events) => events.length >= steps.length,
      'the pushed events',
    )
    t.same(
      pushed.map((event) => [event.position, event.type]),
      positions.map((position, i) => [
        position,
        ['TaskAssigned', 'DeadlineSet', 'TaskAcknowledged', 'ProgressReported'][i],
      ]),
      'every event of the task, once, in order',
    )
    t.match(pushed[2], { occurredAt: '2018-03-01T09:30:00+08:00', taskId })
    t.match(pushed[3], { data: { narrative: '备案、承诺制度已起草' } })

    // Who may read what, generated from the schema: every root field for every actor, and the
    // restricted fields of the task through the public plan tree.
    const schema = gatewaySchema(new ReadModels(readDb))
    const rootArguments: Record<string, string> = {
      bureauAccountability: `(bureauId: "${lead}")`,
      planTree: `(planId: "${planId}")`,
      meetings: '',
      meeting: '(meetingId: "none")',
      responsibilities: `(bureauId: "${lead}")`,
      bureauTimeline: `(bureauId: "${lead}")`,
      taskTimeline: `(planId: "${planId}", taskId: "${taskId}")`,
      planTimeline: `(planId: "${planId}")`,
      meetingTimeline: '(meetingId: "none")',
      treeHeads: '',
      latestTreeHead: '',
      inclusionProof: '(position: 1, treeSize: 1)',
      consistencyProof: '(from: 1, to: 1)',
      // The platform's event store is the review's history: every event of this run is this year's.
      annualReview: `(year: ${new Date(Date.now() + 8 * 3600_000).getUTCFullYear()})`,
    }
    // The audit fields answer from the platform's notary once it has logged the first event.
    for (let logged = false; !logged;) {
      const answer = await graphql('auditor', '{ inclusionProof(position: 1, treeSize: 1) { rootHash } }')
      logged = answer.status === 200
      if (!logged) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const refusedRoots: Partial<Record<Who, string[]>> = {
      planner: ['annualReview'],
      secretariat: ['annualReview'],
      system: ['annualReview'],
      lead: ['annualReview'],
      partner: ['bureauAccountability', 'bureauTimeline', 'annualReview'],
      foreign: ['bureauAccountability', 'bureauTimeline', 'taskTimeline', 'annualReview'],
    }
    // Read, not refused: no meeting was held in this flow, so its timeline names an unknown one.
    const unknownRoots: Record<string, string> = { meetingTimeline: 'UNKNOWN_MEETING' }
    const readsRestricted: Who[] = ['supervisor', 'auditor', 'lead', 'partner']
    for (const who of Object.keys(actors) as Who[]) {
      for (const field of Object.keys(schema.getQueryType()?.getFields() ?? {})) {
        const args = rootArguments[field]
        if (args === undefined) {
          t.fail(`no arguments known for Query.${field}`)
          continue
        }
        t.ok(accessRules.Query?.[field], `Query.${field} has a rule`)
        const { status, body } = await graphql(who, `{ ${field}${args} { __typename } }`)
        const refused = refusedRoots[who]?.includes(field) ?? false
        const unknown = unknownRoots[field]
        const expected = refused ? 403 : unknown ? 404 : 200
        t.equal(status, expected, `${who} ${refused ? 'is refused' : 'reads'} Query.${field}`)
        if (refused) t.equal(body.errors?.[0]?.extensions?.code, 'FORBIDDEN')
        else if (unknown) t.equal(body.errors?.[0]?.extensions?.code, unknown)
      }
      const tree = await graphql(
        who,
        `{ planTree(planId: "${planId}") { sections { sections { tasks { taskId restricted { verification { note } } lastProgress { narrative evidence } } } } } }`,
      )
      // The task's place in the tree, and the errors at exactly its fields.
      const sections = (
        tree.body.data?.planTree as { sections: { sections: { tasks: { taskId: string }[] }[] }[] }
      ).sections
      const place = sections.flatMap((top, i) =>
        top.sections.flatMap((sub, j) =>
          sub.tasks.flatMap((entry, k) => (entry.taskId === taskId ? [[i, j, k]] : [])),
        ),
      )[0]
      if (!place) throw new Error('the task is not in the tree')
      const [i, j, k] = place
      const refusedAt = (...rest: string[]) =>
        (tree.body.errors ?? []).some(
          (error) =>
            error.extensions?.code === 'FORBIDDEN' &&
            JSON.stringify(error.path) ===
              JSON.stringify(['planTree', 'sections', i, 'sections', j, 'tasks', k, ...rest]),
        )
      for (const field of [['restricted'], ['lastProgress', 'narrative'], ['lastProgress', 'evidence']]) {
        if (readsRestricted.includes(who))
          t.notOk(refusedAt(...field), `${who} reads ${field.join('.')} of the task`)
        else t.ok(refusedAt(...field), `${who} is refused ${field.join('.')} of the task`)
      }
    }
  },
)

t.test(
  'the platform refuses deep, costly, batched and aliased documents and, in production, introspection',
  async (t) => {
    const { base } = await platform(t, config)
    const { graphql } = clients(base)
    const deep = await graphql(
      'auditor',
      `{ planTree(planId: "${planId}") { sections { sections { tasks { basis { ... on ResolutionBasis { meeting {
      resolutions { tasks { basis { ... on ResolutionBasis { meeting { resolutions { resolutionId } } } } } } } } } } } } } }`,
    )
    t.equal(deep.status, 400)
    t.equal(deep.body.errors?.[0]?.extensions?.code, 'QUERY_TOO_DEEP')
    const costly = await graphql(
      'auditor',
      `
        {
          meetings {
            resolutions {
              tasks {
                leadBureaus {
                  nameZh
                }
                partnerBureaus {
                  nameZh
                }
                plan {
                  title
                }
                basis {
                  ... on ResolutionBasis {
                    meeting {
                      resolutions {
                        tasks {
                          leadBureaus {
                            nameZh
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      `,
    )
    t.equal(costly.status, 400)
    t.equal(costly.body.errors?.[0]?.extensions?.code, 'QUERY_TOO_COSTLY')
    const aliases = await graphql('auditor', `{ ${'a:__typename '.repeat(10_000)}}`)
    t.equal(aliases.status, 400)
    t.equal(aliases.body.errors?.[0]?.extensions?.code, 'QUERY_TOO_LARGE')
    const batch = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenOf('auditor')}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ meetings { meetingId } }' }]),
    })
    t.equal(batch.status, 400)
    t.match(await batch.json(), { errors: [{ extensions: { code: 'BATCHED_QUERIES_NOT_ALLOWED' } }] })
    const anonymous = await graphql(null, '{ meetings { meetingId } }')
    t.equal(anonymous.status, 401)
    t.equal(anonymous.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED')
    t.equal((await fetch(`${base}/graphiql`)).status, 200, 'the IDE outside production')

    // Production needs the notary's signing key too.
    const dir = mkdtempSync(join(tmpdir(), 'coord-gateway-e2e-'))
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    const keyFile = join(dir, 'signing-key.pem')
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' })
    writeFileSync(keyFile, pem, { mode: 0o600 })
    const production = loadConfig(
      {
        NODE_ENV: 'production',
        LOG_LEVEL: 'silent',
        JWT_SECRET: 'a-production-secret-long-enough-0123456789',
        SIGNING_KEY_FILE: keyFile,
        DATA_DIR: dir,
      },
      { envFile: false },
    )
    const prod = await platform(t, production)
    const introspection = await fetch(`${prod.base}/graphql`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokenOf('auditor', production)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ query: '{ __schema { types { name } } }' }),
    })
    t.equal(introspection.status, 400)
    t.match(await introspection.json(), { errors: [{ extensions: { code: 'INTROSPECTION_DISABLED' } }] })
    t.equal((await fetch(`${prod.base}/graphiql`)).status, 404, 'no IDE in production')
  },
)
