import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { taskDecider, type Task } from '@coord/planning/domain'
import { storeClient } from './raw.ts'

type TaskEvent = Parameters<typeof taskDecider.evolve>[1]

/** Clock ticks per second of `/proc/<pid>/stat`'s CPU times. */
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())

/** CPU ticks used so far by each PostgreSQL process on this machine (backends and helpers), by pid. */
function postgresTicks(): Map<string, number> {
  const ticks = new Map<string, number>()
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    } catch {
      continue // ended since the listing
    }
    // pid (comm) state ...: comm may hold spaces, so fields are counted after its closing ')'.
    const close = stat.lastIndexOf(')')
    if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue
    const fields = stat.slice(close + 2).split(' ')
    ticks.set(pid, Number(fields[11]) + Number(fields[12])) // utime, stime: fields 14 and 15 of stat
  }
  return ticks
}

/**
 * The CPU seconds PostgreSQL's processes used since `before` (their ticks then). A process that
 * ended meanwhile (a parallel worker of an index build) is not counted, which can only make a
 * ceiling computed from it higher; the connections whose work is measured stay open until after.
 */
function postgresCpuSince(before: Map<string, number>): number {
  let ticks = 0
  for (const [pid, now] of postgresTicks()) ticks += now - (before.get(pid) ?? 0)
  return ticks / ticksPerSecond
}

/** CPU seconds this process has used so far, all its threads (garbage collection included). */
function processCpuSeconds(): number {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1e6
}

/**
 * Runs `work`; its wall time and the CPU this process and PostgreSQL used meanwhile, in seconds.
 * The connections `work` uses must be open before it starts and closed after it ends.
 */
export async function measured(work: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const postgres = postgresTicks()
  const processBefore = processCpuSeconds()
  const started = process.hrtime.bigint()
  await work()
  const wall = Number(process.hrtime.bigint() - started) / 1e9
  return { wall, cpu: processCpuSeconds() - processBefore + postgresCpuSince(postgres) }
}

/**
 * The CPU seconds the task events of the store in `schema` take to fold with the planning
 * service's own `evolve`, the least a replay must do to know each task's state (its status,
 * leads and partners, which the task rows and the timeline's bureaus show). The events are read
 * page by page; only the fold of each page is timed.
 */
export async function foldCpuSeconds(connectionString: string, schema: string): Promise<number> {
  const client = await storeClient(connectionString, schema)
  const tasks = new Map<string, Task>()
  let cpu = 0
  try {
    let after = 0
    for (;;) {
      const { rows } = await client.query<{
        position: string
        stream_id: string
        type: string
        data: string
      }>(
        `select position, stream_id, type, data::text as data from es_events
         where position > $1 and stream_id like 'task-%' order by position limit 5000`,
        [after],
      )
      const events = rows.map((row) => ({
        stream: row.stream_id,
        type: row.type,
        data: JSON.parse(row.data),
      }))
      const started = processCpuSeconds()
      for (const event of events) {
        const before = tasks.get(event.stream) ?? taskDecider.initialState
        tasks.set(
          event.stream,
          taskDecider.evolve(before, { type: event.type, data: event.data } as TaskEvent),
        )
      }
      cpu += processCpuSeconds() - started
      const last = rows.at(-1)
      if (!last || rows.length < 5000) break
      after = Number(last.position)
    }
    if (tasks.size === 0) throw new Error('no task events to fold')
    return cpu
  } finally {
    await client.end()
  }
}

/** The cores this machine gives the process and PostgreSQL together. */
export const cores = availableParallelism()
