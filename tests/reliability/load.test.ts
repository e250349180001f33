import { randomBytes } from 'node:crypto'
import { Agent, request } from 'node:http'
import pg from 'pg'
import t from 'tap'
import { openPostgresStore } from '@coord/eventstore'
import { loadConfig, signToken } from '@coord/service-kit'
import { paced, percentile } from '../bench/gateway/measure.ts'
import type { Actor } from './support/platform.ts'
import { bureauRegistration } from './support/acknowledged.ts'
import { long, record } from './support/results.ts'
import { freshDatabase } from '../support/database.ts'
import { runEntry, startPlatform } from './support/process.ts'

// A busy year's commands, every kind mixed, at 200 commands/s on PostgreSQL with the projector and
// the notary running in the platform and (when KAFKA_BROKERS is set) the relay in its own process:
// command latency, projection lag, and not one error.

const rate = 200
const seconds = long ? 600 : 60
const bureaus = Array.from({ length: 10 }, (_, i) => `load-b${i}`)
const tasks = 200
const plan = 'load-plan'
const planText = `浦东新区负载测试工作方案（2019年）\n\n一、工作目标\n到2019年底，完成各项工作。\n\n二、主要任务\n（一）加强协作\n1. 建立协作机制。（责任单位：区知识产权局）\n`

const actors = {
  planner: { role: 'planner', user: 'load' },
  secretariat: { role: 'secretariat', user: 'load' },
  supervisor: { role: 'supervisor', user: 'load' },
} satisfies Record<string, Actor>
const bureauActor = (bureauId: string): Actor => ({ role: 'bureau', bureauId, user: `${bureauId}-clerk` })
const taskPath = (i: number, action: string) =>
  `/planning/plans/${plan}/tasks/${encodeURIComponent(`L.${i}`)}/${action}`
const leadOf = (i: number) => bureaus[i % bureaus.length] as string
const partnerOf = (i: number) => bureaus[(i + 3) % bureaus.length] as string
const dayOf = (n: number) =>
  new Date(Date.UTC(2019, 0, 1) + (n % 300) * 86_400_000).toISOString().slice(0, 10)

interface Command {
  as: Actor
  path: string
  body: object
}

t.test(`${rate} commands/s of a busy year's mix for ${seconds} s on PostgreSQL`, async (t) => {
  const databaseUrl = await freshDatabase(t, 'load')
  const brokers = process.env.KAFKA_BROKERS ?? ''
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    JWT_SECRET: randomBytes(24).toString('hex'),
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
  }
  const config = loadConfig(env, { envFile: false })
  const bearer = (actor: Actor) => `Bearer ${signToken(config, actor)}`

  // The platform in a process of its own, as a server deployment runs it on PostgreSQL, and the
  // Kafka relay in another (when KAFKA_BROKERS is set); the load comes from this one.
  const { url } = await startPlatform(t, env)
  if (brokers)
    runEntry(t, 'services/relay/src/server.ts', { ...env, KAFKA_BROKERS: brokers }).child.stdout?.resume()
  const store = await openPostgresStore({ connectionString: databaseUrl })
  const readModels = new pg.Pool({ connectionString: databaseUrl, max: 1 })
  t.teardown(async () => {
    await store.close()
    await readModels.end()
  })

  const agent = new Agent({ keepAlive: true, maxSockets: 64 })
  t.teardown(() => agent.destroy())
  const send = (command: Command) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const target = new URL(command.path, url)
      const req = request(
        target,
        {
          method: 'POST',
          agent,
          headers: { authorization: bearer(command.as), 'content-type': 'application/json' },
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          )
          res.on('error', reject)
        },
      )
      req.on('error', reject)
      req.end(JSON.stringify(command.body))
    })
  const setup = async (command: Command) => {
    const answer = await send(command)
    if (answer.status !== 200) throw new Error(`setting up ${command.path}: ${answer.text}`)
    return JSON.parse(answer.text) as Record<string, unknown>
  }

  // The year's cast: bureaus with their lists, the plan with a target, tasks assigned with deadlines.
  for (const bureauId of bureaus) {
    await setup({
      as: actors.planner,
      path: '/responsibility/bureaus',
      body: bureauRegistration(bureauId),
    })
    await setup({
      as: actors.planner,
      path: `/responsibility/bureaus/${bureauId}/lists/responsibility`,
      body: {
        effectiveDate: '2018-01-01',
        reason: '印发责任清单',
        duties: [
          { dutyId: `${bureauId}-D0`, title: '日常监管', category: '行政检查', legalBasis: '《专利法》' },
        ],
      },
    })
  }
  await setup({ as: actors.planner, path: '/planning/plans/import', body: { text: planText, planId: plan } })
  await setup({ as: actors.planner, path: `/planning/plans/${plan}/issue`, body: {} })
  await setup({
    as: actors.planner,
    path: `/planning/plans/${plan}/targets`,
    body: {
      metric: 'load-metric',
      text: '负载测试指标',
      value: 1000,
      unit: '件',
      deadline: '2019',
      reportingBureauIds: bureaus,
    },
  })
  const planState = JSON.parse(
    await fetch(`${url}/planning/plans/${plan}`, { headers: { authorization: bearer(actors.planner) } }).then(
      (r) => r.text(),
    ),
  ) as {
    state: { targets: { targetId: string; metric: string }[] }
  }
  const targetId = planState.state.targets.find((target) => target.metric === 'load-metric')?.targetId
  t.ok(targetId, 'the target is defined')
  for (let i = 0; i < tasks; i++) {
    await setup({
      as: actors.planner,
      path: `/planning/plans/${plan}/tasks`,
      body: { taskId: `L.${i}`, title: `负载测试任务${i}` },
    })
    await setup({
      as: actors.planner,
      path: taskPath(i, 'assign'),
      body: { leads: [leadOf(i)], partners: [partnerOf(i)] },
    })
    await setup({ as: actors.planner, path: taskPath(i, 'deadline'), body: { deadline: '2019-12-31' } })
  }
  let meetingId = ''
  const meeting = async (n: number) => {
    const answer = await setup({
      as: actors.secretariat,
      path: '/meetings',
      body: { session: n + 1, date: dayOf(n), convener: '区知识产权局', agenda: ['工作推进'] },
    })
    meetingId = String(answer.meetingId)
  }
  await meeting(0)

  // The mix: what bureaus, the supervision office, the plan office and the secretariat send in a
  // busy year, each kind with its weight. Meetings come and go (ten items each); progress is
  // spread over the plan's tasks.
  let meetingOps = 0
  const weighted: [number, (n: number) => Command][] = [
    [
      20,
      (n) => {
        const i = n % tasks
        const by = n % 3 === 0 ? partnerOf(i) : leadOf(i)
        return {
          as: bureauActor(by),
          path: taskPath(i, 'progress'),
          body: { percent: (n % 99) + 1, narrative: `第${n}次进展` },
        }
      },
    ],
    [2, (n) => ({ as: bureauActor(leadOf(n % tasks)), path: taskPath(n % tasks, 'acknowledge'), body: {} })],
    [
      1,
      (n) => ({
        as: bureauActor(leadOf(n % bureaus.length)),
        path: `/planning/plans/${plan}/targets/${targetId}/measurements`,
        body: { value: n, asOf: dayOf(n) },
      }),
    ],
    [
      2,
      (n) => ({
        as: actors.supervisor,
        path: taskPath(n % tasks, 'deadline-change'),
        body: { deadline: dayOf(n + 300), reason: '督查调整' },
      }),
    ],
    [
      2,
      (n) => ({
        as: actors.planner,
        path: `/planning/plans/${plan}/tasks`,
        body: { taskId: `N.${n}`, title: `新增任务${n}` },
      }),
    ],
    [
      3,
      (n) => {
        const k = meetingOps++
        if (k % 10 === 9) {
          return {
            as: actors.secretariat,
            path: '/meetings',
            body: { session: k + 2, date: dayOf(k), convener: '区知识产权局', agenda: ['工作推进'] },
          }
        }
        if (k % 10 < 3) {
          return {
            as: actors.secretariat,
            path: `/meetings/${meetingId}/attendance`,
            body: {
              entries: [{ bureauId: bureaus[n % bureaus.length], status: n % 2 ? 'present' : 'absent' }],
            },
          }
        }
        return {
          as: actors.secretariat,
          path: `/meetings/${meetingId}/resolutions`,
          body: { text: `议定事项${n}`, effect: { kind: 'record-position' } },
        }
      },
    ],
    [
      2,
      (n) => ({
        as: actors.planner,
        path: `/responsibility/bureaus/${bureaus[n % bureaus.length]}/lists/responsibility/duties`,
        body: {
          dutyId: `D-${n}`,
          title: `职责${n}`,
          category: '行政检查',
          legalBasis: '《专利法》',
          effectiveDate: '2019-01-01',
          reason: '清单调整',
        },
      }),
    ],
  ]
  const mix = weighted.flatMap(([weight, make]) => Array<(n: number) => Command>(weight).fill(make))

  // The projector's live checkpoint, sampled every few milliseconds from its table: the lag of a
  // command is the time from its 2xx to the first sample at or past its position. A sample is
  // stamped once read: the checkpoint was reached by then at the latest.
  const samples: { at: bigint; checkpoint: number }[] = []
  let sampling = true
  const checkpoint = async () => {
    const { rows } = await readModels.query<{ checkpoint: string }>(
      `select checkpoint from coord_read.rm_state where status = 'live'`,
    )
    return Number(rows[0]?.checkpoint ?? 0)
  }
  const sampler = (async () => {
    while (sampling) {
      const seen = await checkpoint()
      samples.push({ at: process.hrtime.bigint(), checkpoint: seen })
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  })()
  const count = rate * seconds
  const errors: string[] = []
  const heapBefore = process.memoryUsage().heapUsed
  const results = await paced(rate, count, async (n) => {
    const command = (mix[n % mix.length] as (n: number) => Command)(n)
    const sent = process.hrtime.bigint()
    const answer = await send(command)
    const answered = process.hrtime.bigint()
    if (answer.status !== 200) {
      if (errors.length < 5) errors.push(`${command.path}: ${answer.status} ${answer.text.slice(0, 200)}`)
      return null
    }
    const result = JSON.parse(answer.text) as { position: number; meetingId?: string }
    if (result.meetingId) meetingId = result.meetingId
    const { position } = result
    return { latency: Number(answered - sent) / 1e6, answered, position }
  })
  const done = results.filter((r) => r !== null)
  const head = await store.headPosition()
  const ended = process.hrtime.bigint()
  const until = Date.now() + 120_000
  // Until a sample taken after every answer shows the head (one taken before the last answers
  // could show it and still leave them no sample to be seen in).
  const caughtUp = () => {
    const last = samples.at(-1)
    return last !== undefined && last.at >= ended && last.checkpoint >= head
  }
  while (!caughtUp() && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  sampling = false
  await sampler
  const lags = done.map((r) => {
    const seen = firstSample(samples, r.answered, r.position)
    return seen === undefined ? Number.NaN : Number(seen.at - r.answered) / 1e6
  })
  for (const error of errors) t.comment(error)
  t.same(errors, [], 'no command failed')
  t.equal(done.length, count, `${count} commands answered 200`)
  t.notOk(lags.some(Number.isNaN), 'the projector applied every command')

  // The relay, when on, has every event on the broker once the load ends.
  let relay = 'off (no KAFKA_BROKERS)'
  if (brokers) {
    const until = Date.now() + 120_000
    let behind = Number.POSITIVE_INFINITY
    while (behind > 0 && Date.now() < until) {
      // Events recorded after the load (the deadline watcher, process managers) may take it past.
      behind = Math.max(0, head - (await store.checkpoint('kafka-relay')))
      if (behind > 0) await new Promise((resolve) => setTimeout(resolve, 250))
    }
    t.equal(behind, 0, 'the relay published every event')
    relay = behind === 0 ? 'relay caught up' : `relay ${behind} events behind`
  }
  const latency = done.map((r) => r.latency)
  const heapGrowth = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024
  const ms = (v: number) => `${v.toFixed(1)} ms`
  record({
    row: `Sustained load: ${rate} commands/s of a busy year's mix for ${seconds} s on PostgreSQL: platform with projector and notary, relay in its own process`,
    figure: `${done.length}/${count} commands, ${errors.length ? 'errors' : '0 errors'}; latency p50 ${ms(percentile(latency, 50))}, p99 ${ms(percentile(latency, 99))}; projection lag p50 ${ms(percentile(lags, 50))}, p99 ${ms(percentile(lags, 99))}; ${relay}; heap ${heapGrowth >= 0 ? '+' : ''}${heapGrowth.toFixed(0)} MiB`,
    failures: count - done.length,
  })
})

/**
 * The first sample taken at or after `after` whose checkpoint reached `position`. Samples are in
 * time order and checkpoints never go back, so both bounds are binary searches.
 */
function firstSample<S extends { at: bigint; checkpoint: number }>(
  samples: readonly S[],
  after: bigint,
  position: number,
): S | undefined {
  const search = (from: number, ok: (sample: S) => boolean) => {
    let [lo, hi] = [from, samples.length]
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (ok(samples[mid] as S)) hi = mid
      else lo = mid + 1
    }
    return lo
  }
  const fromTime = search(0, (sample) => sample.at >= after)
  return samples[search(fromTime, (sample) => sample.checkpoint >= position)]
}
