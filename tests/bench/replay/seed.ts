import type { EventStore } from '@coord/eventstore'
import { taskHistory } from '../support/task-history.ts'

export const planId = 'bench-replay'
/** Events per task stream: published, assigned, a deadline, acknowledged, then progress reports. */
const perTask = 50

/**
 * About `total` events (whole tasks of 50) appended straight to the store, a task's events in one
 * append and four appends at a time: the store's own bulk path (group commit), not HTTP. Events are
 * built a task at a time, so a million never sit in memory together.
 */
export async function seedTasks(store: EventStore, total: number, onTask?: (done: number) => void) {
  const tasks = Math.ceil(total / perTask)
  let next = 0
  let done = 0
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < tasks) {
        const i = next++
        await store.appendToStream(
          `task-${planId}/三.(二).${i}`,
          taskHistory(i, { planId, perTask, occurredAt: '2019-03-01T02:00:00.000Z', handOver: true }),
        )
        onTask?.(++done)
      }
    }),
  )
}
