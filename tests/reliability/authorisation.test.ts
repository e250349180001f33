import { readFile } from 'node:fs/promises'
import t from 'tap'
import { examplePlanPath } from '@coord/plan-import'
import { examplePlanId } from '@coord/platform'
import { bearer, platformInMemory, type Actor } from './support/platform.ts'
import { record } from './support/results.ts'
import { documentedRoutes, writes } from './support/routes.ts'

// Every documented route and the GraphQL fields that hold restricted data, against every role, the
// bureaus a task concerns and a foreign bureau, on a platform with a real history. A refused actor
// must get 401/403 (or a 4xx that writes nothing) and read none of what it may not read.

const who = {
  planner: { role: 'planner', user: 'matrix' },
  secretariat: { role: 'secretariat', user: 'matrix' },
  supervisor: { role: 'supervisor', user: 'matrix' },
  auditor: { role: 'auditor', user: 'matrix' },
  system: { role: 'system', user: 'matrix' },
  own: { role: 'bureau', bureauId: 'own-b', user: 'matrix' },
  partner: { role: 'bureau', bureauId: 'partner-b', user: 'matrix' },
  foreign: { role: 'bureau', bureauId: 'foreign-b', user: 'matrix' },
} satisfies Record<string, Actor>
type Who = keyof typeof who
const everyone = Object.keys(who) as Who[]

const plan = examplePlanId
const task = (id: string, action = '') =>
  `/planning/plans/${plan}/tasks/${encodeURIComponent(id)}${action ? `/${action}` : ''}`
const day = '2018-03-01'
const bureau = (bureauId: string, nameZh: string) => ({
  bureauId,
  nameZh,
  nameEn: `${bureauId} bureau`,
  shortName: nameZh,
  kind: '委办局',
  effectiveDate: '2017-01-01',
})
/** Texts only the concerned bureaus, the supervision office and auditors may read. */
const secret = {
  narrative: '矩阵测试：进展叙述仅限相关单位',
  summary: '矩阵测试：完成情况仅限相关单位',
  reason: '矩阵测试：退回理由仅限相关单位',
}

interface Case {
  method?: string
  url: string | (() => string)
  body?: object | (() => object)
  /** Who may: the first of them sends it last and must succeed (proving the body is right). */
  allowed: Who[]
  /** What it leaves behind for the cases after it, read from the answer. */
  then?: (answer: Record<string, unknown>) => void
}

let meetingId = ''
let resolutionId = ''
let targetId = ''

t.test(
  'every route and the restricted GraphQL fields, against every role and a foreign bureau',
  async (t) => {
    const { app, store } = await platformInMemory(t)
    const url = await app.listen({ port: 0, host: '127.0.0.1' })
    const send = async (as: Who, method: string, path: string, body?: object, extra: object = {}) => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...extra,
          authorization: bearer(who[as]),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      const text = await response.text()
      return { status: response.status, text }
    }
    const must = async (as: Who, path: string, body: object) => {
      const answer = await send(as, 'POST', path, body)
      if (answer.status !== 200) throw new Error(`setting up: POST ${path} as ${as}: ${answer.text}`)
      return JSON.parse(answer.text) as Record<string, unknown>
    }

    // The world: four bureaus, the example plan, a second plan, a meeting.
    for (const [id, name] of [
      ['own-b', '区知识产权局'],
      ['partner-b', '区商务委'],
      ['foreign-b', '区文化旅游局'],
      ['succ-b', '区市场监督管理局'],
      ['old-b', '区原市场监管局'],
      ['split-b', '区待拆分局'],
      ['split-1', '区拆分一局'],
      ['split-2', '区拆分二局'],
    ] as const) {
      await must('planner', '/responsibility/bureaus', bureau(id, name))
    }
    const bytes = await readFile(examplePlanPath)
    await must('planner', '/planning/plans/import', { contentBase64: bytes.toString('base64'), planId: plan })
    const duty = (dutyId: string) => ({
      dutyId,
      title: `职责${dutyId}`,
      category: '行政检查',
      legalBasis: '《专利法》',
    })
    await must('planner', '/responsibility/bureaus/own-b/lists/responsibility', {
      effectiveDate: '2017-06-01',
      reason: '印发责任清单',
      duties: [duty('D1'), duty('D2')],
    })
    const reason = { reason: '矩阵测试' }

    const cases: Case[] = [
      // The bureau registry, lists and reorganisations: the plan office alone.
      {
        url: '/responsibility/bureaus/own-b/lists/power',
        body: { effectiveDate: '2017-06-01', reason: '印发权力清单', duties: [duty('P1')] },
        allowed: ['planner'],
      },
      { url: '/responsibility/bureaus', body: bureau('new-b', '区新设局'), allowed: ['planner'] },
      {
        url: '/responsibility/bureaus/new-b/rename',
        body: {
          nameZh: '区新设二局',
          nameEn: 'New 2',
          shortName: '新设二局',
          effectiveDate: '2017-02-01',
          ...reason,
        },
        allowed: ['planner'],
      },
      {
        url: '/responsibility/bureaus/own-b/lists/responsibility/duties',
        body: { ...duty('D3'), effectiveDate: '2017-07-01', ...reason },
        allowed: ['planner'],
      },
      {
        url: '/responsibility/bureaus/own-b/lists/responsibility/duties/D3/amend',
        body: { title: '职责D3（修订）', effectiveDate: '2017-08-01', ...reason },
        allowed: ['planner'],
      },
      {
        url: '/responsibility/bureaus/own-b/lists/responsibility/duties/D2/transfer',
        body: { toBureauId: 'partner-b', effectiveDate: '2017-09-01', ...reason },
        allowed: ['planner'],
      },
      {
        url: '/responsibility/bureaus/own-b/lists/responsibility/duties/D1/revoke',
        body: { effectiveDate: '2017-10-01', ...reason },
        allowed: ['planner'],
      },
      {
        url: '/responsibility/reorganisations/rename',
        body: {
          reorganisationId: 'reorg-rename',
          bureauId: 'new-b',
          nameZh: '区新设三局',
          nameEn: 'New 3',
          shortName: '新设三局',
          effectiveDate: '2017-11-01',
          ...reason,
        },
        allowed: ['planner'],
      },
      {
        url: '/responsibility/reorganisations/merge',
        body: {
          reorganisationId: 'reorg-merge',
          fromBureauIds: ['old-b', 'new-b'],
          intoBureauId: 'succ-b',
          effectiveDate: '2017-12-01',
          ...reason,
        },
        allowed: ['planner'],
      },
      {
        url: '/responsibility/reorganisations/split',
        body: {
          reorganisationId: 'reorg-split',
          fromBureauId: 'split-b',
          intoBureauIds: ['split-1', 'split-2'],
          effectiveDate: '2017-12-01',
          ...reason,
        },
        allowed: ['planner'],
      },

      // The plan: the plan office; measurements also by the bureau that reports the target.
      {
        url: '/planning/plans/import',
        body: { contentBase64: bytes.toString('base64'), planId: 'matrix-second' },
        allowed: ['planner'],
      },
      { url: `/planning/plans/${plan}/issue`, body: {}, allowed: ['planner'] },
      {
        url: `/planning/plans/${plan}/amend`,
        body: { changes: { issuer: '浦东新区人民政府' }, ...reason },
        allowed: ['planner'],
      },
      { url: `/planning/plans/${plan}/goals`, body: { text: '矩阵测试目标' }, allowed: ['planner'] },
      {
        url: `/planning/plans/${plan}/targets`,
        body: {
          metric: 'matrix-metric',
          text: '矩阵测试指标',
          value: 10,
          unit: '件',
          deadline: '2019',
          reportingBureauIds: ['own-b'],
        },
        allowed: ['planner'],
      },
      {
        url: () => `/planning/plans/${plan}/targets/${targetId}/measurements`,
        body: { value: 3, asOf: day },
        allowed: ['own', 'planner'],
      },

      // A task's life: who shapes it, who works on it, who supervises it.
      {
        url: `/planning/plans/${plan}/tasks`,
        body: { taskId: 'M.1', title: '矩阵测试任务', sectionPath: ['三'] },
        allowed: ['planner'],
      },
      {
        url: task('M.1', 'assign'),
        body: { leads: ['own-b'], partners: ['partner-b'] },
        allowed: ['planner'],
      },
      { url: task('M.1', 'deadline'), body: { deadline: '2019-06-30' }, allowed: ['planner', 'supervisor'] },
      { url: task('M.1', 'acknowledge'), body: {}, allowed: ['own'] },
      {
        url: task('M.1', 'deadline-change'),
        body: { deadline: '2019-09-30', ...reason },
        allowed: ['planner', 'secretariat', 'supervisor'],
      },
      {
        url: task('M.1', 'progress'),
        body: { percent: 40, narrative: secret.narrative },
        allowed: ['partner', 'own'],
      },
      { url: task('M.1', 'completion'), body: { summary: secret.summary }, allowed: ['own'] },
      { url: task('M.1', 'reject'), body: { reason: secret.reason }, allowed: ['supervisor'] },
      { url: task('M.1', 'completion'), body: { summary: secret.summary }, allowed: ['own'] },
      { url: task('M.1', 'verify'), body: { note: '核验通过' }, allowed: ['supervisor'] },
      { url: task('M.1', 'close'), body: {}, allowed: ['supervisor'] },
      {
        url: `/planning/plans/${plan}/tasks`,
        body: { taskId: 'M.2', title: '矩阵测试任务二' },
        allowed: ['planner'],
      },
      { url: task('M.2', 'assign'), body: { leads: ['own-b'] }, allowed: ['planner'] },
      { url: task('M.2', 'suspend'), body: reason, allowed: ['supervisor', 'planner'] },
      { url: task('M.2', 'resume'), body: reason, allowed: ['planner', 'supervisor'] },
      { url: task('M.2', 'cancel'), body: reason, allowed: ['planner'] },

      // The joint-meeting secretariat.
      {
        url: '/meetings',
        body: { session: 1, date: day, convener: '区知识产权局', agenda: ['展会知识产权保护'] },
        allowed: ['secretariat'],
        then: (answer) => (meetingId = String(answer.meetingId)),
      },
      {
        url: () => `/meetings/${meetingId}/attendance`,
        body: { entries: [{ bureauId: 'own-b', status: 'present' }] },
        allowed: ['secretariat'],
      },
      {
        url: () => `/meetings/${meetingId}/resolutions`,
        body: { text: '会议听取了工作汇报', effect: { kind: 'record-position' } },
        allowed: ['secretariat'],
        then: (answer) => (resolutionId = String(answer.resolutionId)),
      },
      {
        url: () => `/meetings/${meetingId}/resolutions/${resolutionId}/corrections`,
        body: { text: '会议听取并肯定了工作汇报', effect: { kind: 'record-position' }, ...reason },
        allowed: ['secretariat'],
      },
      {
        url: () => `/meetings/${meetingId}/minutes/proposals`,
        body: {
          planId: plan,
          text: '会议纪要\n一、会议议定事项\n1. 区知识产权局牵头，加强展会知识产权保护。',
        },
        allowed: ['secretariat'],
      },
      {
        url: () => `/meetings/${meetingId}/minutes`,
        body: { minutesNumber: '〔2018〕1号', issuedOn: day },
        allowed: ['secretariat'],
      },
      { url: () => `/meetings/${meetingId}/close`, body: {}, allowed: ['secretariat'] },

      // The notary: a tree head on demand.
      { url: '/audit/tree-heads', allowed: ['planner', 'auditor'] },
    ]

    const covered = new Set<string>()
    let refusals = 0
    let leaks = 0
    for (const c of cases) {
      const path = typeof c.url === 'function' ? c.url() : c.url
      const body = typeof c.body === 'function' ? c.body() : c.body
      const method = c.method ?? 'POST'
      covered.add(`${method} ${templateOf(path)}`)
      for (const as of everyone.filter((w) => !c.allowed.includes(w))) {
        const head = await store.headPosition()
        const answer = await send(as, method, path, body)
        const wrote = (await store.headPosition()) !== head
        const refused = (answer.status === 401 || answer.status === 403) && !wrote
        if (!refused) leaks++
        refusals++
        t.ok(
          refused,
          `${method} ${path} as ${as}: ${answer.status} ${refused ? '' : answer.text.slice(0, 160)}`,
        )
      }
      const [first] = c.allowed
      const answer = await send(first as Who, method, path, body)
      const accepted = answer.status === 200 || answer.status === 201
      t.ok(accepted, `${method} ${path} as ${first}: ${answer.status} ${answer.text.slice(0, 200)}`)
      if (accepted) c.then?.(JSON.parse(answer.text) as Record<string, unknown>)
      if (path.endsWith('/targets')) targetId = await newTargetId(send)
    }

    // Every documented write route is in the matrix (a new route fails here until it is decided).
    const documented = (await documentedRoutes(app)).filter(writes).filter((r) => r.template !== '/graphql')
    const missing = documented.map((r) => `${r.method} ${r.template}`).filter((r) => !covered.has(r))
    t.same(missing, [], `every write route is in the matrix (${[...covered].join(', ')})`)

    // Reads: every documented GET route with the world's ids, as every role: what a reader may not
    // see never appears in an answer.
    const ids: Record<string, string> = {
      planId: plan,
      taskId: 'M.1',
      bureauId: 'own-b',
      meetingId,
      resolutionId,
      dutyId: 'D3',
      listKind: 'responsibility',
      targetId,
      reorganisationId: 'reorg-merge',
    }
    const mayReadSecrets: Who[] = ['supervisor', 'auditor', 'system', 'own', 'partner']
    let reads = 0
    for (const route of (await documentedRoutes(app)).filter((r) => r.method === 'GET')) {
      const path = route.template.replace(/\{(\w+)\}/g, (_, name: string) =>
        encodeURIComponent(ids[name] ?? name),
      )
      for (const as of everyone) {
        const answer = await send(as, 'GET', path)
        reads++
        t.ok(answer.status < 500, `GET ${path} as ${as}: ${answer.status}`)
        if (mayReadSecrets.includes(as)) continue
        const seen = Object.values(secret).filter((text) => answer.text.includes(text))
        if (seen.length > 0) leaks++
        t.same(seen, [], `GET ${path} as ${as} reads nothing restricted`)
      }
    }

    // GraphQL: own-bureau views refuse a foreign bureau; restricted texts reach only those concerned.
    // Each query waits until the read models hold the whole history written above.
    const head = String(await store.headPosition())
    const graphql = (as: Who, query: string) =>
      send(as, 'POST', '/graphql', { query }, { 'x-coord-wait-for-position': head })
    const taskFields = `taskId lastProgress { narrative } restricted { completion { summary } rejection { reason } }`
    const queries = {
      planTree: `{ planTree(planId: "${plan}") { tasks { ${taskFields} } } }`,
      accountability: `{ bureauAccountability(bureauId: "own-b") { tasks { task { ${taskFields} } } } }`,
      bureauTimeline: `{ bureauTimeline(bureauId: "own-b") { entries { type summary } } }`,
      taskTimeline: `{ taskTimeline(planId: "${plan}", taskId: "M.1") { entries { type summary } } }`,
    }
    let fieldChecks = 0
    for (const as of everyone) {
      for (const [name, query] of Object.entries(queries)) {
        const answer = await graphql(as, query)
        fieldChecks++
        t.ok(answer.status < 500, `graphql ${name} as ${as}: ${answer.status}`)
        const secrets = Object.values(secret).filter((text) => answer.text.includes(text))
        const ownView = name !== 'planTree'
        const refusedView = ownView && as === 'foreign'
        if (refusedView) {
          const refused =
            /"data":(null|\{"\w+":null\})/.test(answer.text) && answer.text.includes('FORBIDDEN')
          if (!refused) leaks++
          t.ok(refused, `graphql ${name} as foreign is refused: ${answer.text.slice(0, 160)}`)
        }
        if (!mayReadSecrets.includes(as) && secrets.length > 0) leaks++
        if (!mayReadSecrets.includes(as))
          t.same(secrets, [], `graphql ${name} as ${as} reads nothing restricted`)
      }
    }
    // The texts are in the read models: those concerned do read them.
    for (const as of ['supervisor', 'own', 'auditor'] as const) {
      const view = await graphql(as, queries.accountability)
      t.ok(view.text.includes(secret.narrative), `${as} reads the progress narrative`)
    }

    t.equal(leaks, 0, 'no leaks')
    record({
      row: 'Authorisation matrix: every route and the restricted GraphQL fields × 6 roles, the concerned bureaus and a foreign one',
      figure: `${cases.length} write cases (${refusals} refusals checked, ${covered.size} routes), ${reads} reads, ${fieldChecks} GraphQL queries: ${leaks} leaks`,
      failures: leaks + missing.length,
    })
  },
)

/** The route template a concrete path was built from (ids back to `{name}`). */
function templateOf(path: string): string {
  if (path === '/planning/plans/import') return path
  return path
    .replace(/^\/planning\/plans\/[^/]+/, '/planning/plans/{planId}')
    .replace(/\/tasks\/[^/]+/, '/tasks/{taskId}')
    .replace(/\/targets\/[^/]+/, '/targets/{targetId}')
    .replace(/^\/meetings\/[^/]+/, '/meetings/{meetingId}')
    .replace(/\/resolutions\/[^/]+/, '/resolutions/{resolutionId}')
    .replace(/^\/responsibility\/bureaus\/[^/]+/, '/responsibility/bureaus/{bureauId}')
    .replace(/\/lists\/[^/]+/, '/lists/{listKind}')
    .replace(/\/duties\/[^/]+/, '/duties/{dutyId}')
}

async function newTargetId(
  send: (as: Who, method: string, path: string) => Promise<{ status: number; text: string }>,
): Promise<string> {
  const answer = await send('planner', 'GET', `/planning/plans/${plan}`)
  const targets = (JSON.parse(answer.text) as { state: { targets: { targetId: string; metric: string }[] } })
    .state.targets
  const target = targets.find((known) => known.metric === 'matrix-metric')
  if (!target) throw new Error(`the matrix target is missing: ${answer.text.slice(0, 200)}`)
  return target.targetId
}
