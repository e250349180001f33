import { Worker } from 'node:worker_threads'
import type { LagJob, LagResult } from './lag-client.ts'

/**
 * Lag at `job.perSecond`: each command (a progress report on a task its lead reports on) is sent
 * on schedule; from its 2xx, a GraphQL query waiting for the command's position measures when the
 * change is visible. The client runs in a worker thread of its own (lag-client.ts).
 */
export function lag(job: LagJob): Promise<LagResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./lag-worker.mjs', import.meta.url), { workerData: job })
    let result: LagResult | undefined
    worker.once('message', (message: LagResult) => (result = message))
    worker.once('error', reject)
    worker.once('exit', (code) => {
      if (result) resolve(result)
      else reject(new Error(`the lag client exited with code ${code} without a result`))
    })
  })
}
