import type { EventStore } from '@coord/eventstore'
import { benchBureaus, taskHistory } from '../support/task-history.ts'

export const planId = 'bench-plan'
export const bureaus = benchBureaus

export const taskStream = (i: number) => `task-${planId}/三.(二).${i}`

/**
 * `tasks` tasks of `perTask` events each, appended a few tasks at a time in rounds (every task
 * gets its next events in each round), so the history interleaves as a real year's would and its
 * recording instants spread over the whole seeding.
 */
export async function seedHistory(store: EventStore, tasks: number, perTask: number): Promise<void> {
  const all = Array.from({ length: tasks }, (_, i) => taskHistory(i, { planId, perTask }))
  const chunk = 10
  for (let from = 0; from < perTask; from += chunk) {
    let next = 0
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < tasks) {
          const i = next++
          const events = all[i]?.slice(from, from + chunk) ?? []
          if (events.length > 0) await store.appendToStream(taskStream(i), events)
        }
      }),
    )
  }
}
