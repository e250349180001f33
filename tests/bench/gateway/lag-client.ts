// The lag measurement's client, run in a worker thread (lag.ts) so that sending the commands and
// waiting for their views never takes time from the platform's own event loop.
import { parentPort, workerData } from 'node:worker_threads'
import { httpClient, post } from './client.ts'
import { milliseconds, paced } from './measure.ts'

export interface LagJob {
  url: string
  perSecond: number
  count: number
  planId: string
  /** Tasks `三.(二).0` … `三.(二).<tasks - 1>` of the plan; task i's lead is bureau i mod bureaus. */
  tasks: number
  /** The bearer token of each bureau's clerk, in the bureaus' order. */
  leadTokens: string[]
  supervisor: string
}

export interface LagResult {
  samples: number[]
  refused: number
}

const timelineQuery = `query ($planId: ID!, $taskId: ID!) {
  taskTimeline(planId: $planId, taskId: $taskId, first: 1) { entries { position } }
}`

const job = workerData as LagJob
const agent = httpClient()

/** Whether the task's timeline shows `position`, waiting for it through the gateway's read-your-writes header. */
async function visible(taskId: string, position: number): Promise<boolean> {
  const response = await post(
    agent,
    `${job.url}/graphql`,
    { authorization: job.supervisor, 'x-coord-wait-for-position': String(position) },
    { query: timelineQuery, variables: { planId: job.planId, taskId } },
  )
  const body = response.body as { errors?: { extensions?: { code?: string } }[] }
  if (response.status === 504 && body.errors?.[0]?.extensions?.code === 'PROJECTION_TIMEOUT') return false
  if (response.status !== 200 || body.errors)
    throw new Error(`GraphQL ${response.status}: ${JSON.stringify(body)}`)
  return true
}

let refused = 0
const results = await paced(job.perSecond, job.count, async (i) => {
  const task = (i * 7) % job.tasks
  const taskId = `三.(二).${task}`
  const response = await post(
    agent,
    `${job.url}/planning/plans/${job.planId}/tasks/${encodeURIComponent(taskId)}/progress`,
    { authorization: job.leadTokens[task % job.leadTokens.length] as string },
    { percent: (i % 99) + 1, narrative: `第${i}次进展` },
  )
  if (response.status === 409) {
    // A concurrent report on the same task is the client's to retry; it is not lag.
    refused++
    return null
  }
  if (response.status !== 200) throw new Error(`command ${response.status}: ${JSON.stringify(response.body)}`)
  const position = response.body.position as number
  const answered = process.hrtime.bigint()
  // Waits until the view shows the command: a wait past the gateway's bound (504) asks again, so
  // a projector falling behind shows as lag, not as a failed run.
  let shown = false
  while (!shown) shown = await visible(taskId, position)
  return milliseconds(answered)
})
await agent.close()
const result: LagResult = { samples: results.filter((r): r is number => r !== null), refused }
parentPort?.postMessage(result)
