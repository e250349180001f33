import { randomBytes } from 'node:crypto'
import type { Admin, IHeaders, Kafka } from 'kafkajs'

/** A record as read back from a topic, headers decoded as UTF-8 (kafkajs hands them over as Buffers). */
export interface Received {
  topic: string
  partition: number
  offset: bigint
  key: string
  headers: Record<string, string>
  value: Buffer
}

export function headersOf(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue
    const last = Array.isArray(value) ? value[value.length - 1] : value
    if (last !== undefined) out[name] = last.toString()
  }
  return out
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Runs `work` again after a failure until `timeoutMs` has passed. Another test file may restart
 * the shared broker at any moment (broker-restart.test.ts), and some kafkajs calls fail at once
 * rather than retry while it comes back (fetchTopicOffsets answers NOT_LEADER_FOR_PARTITION).
 */
export async function retrying<T>(work: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await work()
    } catch (error) {
      if (Date.now() > deadline) throw error
      await sleep(1000)
    }
  }
}

/** A connected admin client for one piece of work, retried as a whole. */
export function withAdmin<T>(kafka: Kafka, work: (admin: Admin) => Promise<T>): Promise<T> {
  return retrying(async () => {
    const admin = kafka.admin()
    await admin.connect()
    try {
      return await work(admin)
    } finally {
      await admin.disconnect().catch(() => undefined)
    }
  })
}

/** Offsets per partition: where a read starts (inclusive) or ends (exclusive). */
export type Offsets = Map<number, bigint>

/** The high watermark of every partition: a read from here sees only what is written afterwards. */
export function topicEnds(kafka: Kafka, topic: string): Promise<Offsets> {
  return withAdmin(kafka, async (admin) => {
    const offsets = await admin.fetchTopicOffsets(topic)
    return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]))
  })
}

/** Whether the topic exists, asked without a metadata request that could auto-create it. */
export function topicExists(kafka: Kafka, topic: string): Promise<boolean> {
  return withAdmin(kafka, async (admin) => (await admin.listTopics()).includes(topic))
}

/** Creates the topic as the relay would (3 partitions) unless it exists. */
export async function ensureTopic(kafka: Kafka, topic: string): Promise<void> {
  await withAdmin(kafka, (admin) =>
    admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] }),
  )
}

export interface ReadOptions {
  /** Where to start; default the beginning of every partition. */
  from?: Offsets
  timeoutMs?: number
}

/**
 * Everything in a topic from `from` up to the high watermarks at the time of the call, read with a
 * kafkajs consumer in a group of its own. Bounded: it fails after `timeoutMs` saying what is missing.
 * A consumer that fails (a broker restart) is replaced by a new one; a record seen twice is kept
 * once, by partition and offset, so what it returns is exactly the log.
 */
export async function readTopic(kafka: Kafka, topic: string, options: ReadOptions = {}): Promise<Received[]> {
  const ends = await topicEnds(kafka, topic)
  const from = (partition: number): bigint => options.from?.get(partition) ?? 0n
  const seen = new Map<string, Received>()
  const remaining = new Map<number, bigint>()
  for (const [partition, end] of ends) if (end > from(partition)) remaining.set(partition, end)

  const deadline = Date.now() + (options.timeoutMs ?? 90_000)
  while (remaining.size > 0) {
    const left = deadline - Date.now()
    try {
      if (left <= 0) throw new Error('no time left')
      await readOnce(kafka, topic, { from, ends, remaining, seen }, left)
    } catch (error) {
      if (Date.now() < deadline) {
        await sleep(1000)
        continue
      }
      const missing = [...remaining].map(([p, end]) => `partition ${p} up to ${end}`).join(', ')
      throw new Error(
        `reading ${topic}: ${seen.size} records, missing ${missing}: ${(error as Error).message}`,
      )
    }
  }
  return [...seen.values()].sort((a, b) => a.partition - b.partition || Number(a.offset - b.offset))
}

interface ReadState {
  from: (partition: number) => bigint
  ends: Offsets
  remaining: Map<number, bigint>
  seen: Map<string, Received>
}

/** One consumer reading until every partition reached its end, or failing. */
async function readOnce(kafka: Kafka, topic: string, state: ReadState, timeoutMs: number): Promise<void> {
  const { from, ends, remaining, seen } = state
  const groupId = `test-read-${randomBytes(6).toString('hex')}`
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 })
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs)
  })
  const done = new Promise<void>((resolve, reject) => {
    consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error))
    const read = async (): Promise<void> => {
      await consumer.connect()
      await consumer.subscribe({ topics: [topic], fromBeginning: true })
      await consumer.run({
        eachMessage: ({ partition, message }) => {
          const offset = BigInt(message.offset)
          if (offset >= from(partition) && offset < (ends.get(partition) ?? 0n)) {
            seen.set(`${partition}:${offset}`, {
              topic,
              partition,
              offset,
              key: message.key?.toString() ?? '',
              headers: headersOf(message.headers),
              value: message.value ?? Buffer.alloc(0),
            })
          }
          const end = remaining.get(partition)
          if (end !== undefined && offset + 1n >= end) remaining.delete(partition)
          if (remaining.size === 0) resolve()
          return Promise.resolve()
        },
      })
      // Start at `from`, not at the beginning of a topic every run shares.
      for (const partition of remaining.keys()) {
        consumer.seek({ topic, partition, offset: String(from(partition)) })
      }
    }
    read().catch(reject)
  })
  try {
    await Promise.race([done, timedOut])
  } finally {
    clearTimeout(timer)
    await consumer.disconnect().catch(() => undefined)
    await deleteGroup(kafka, groupId)
  }
}

async function deleteGroup(kafka: Kafka, groupId: string): Promise<void> {
  const admin = kafka.admin()
  try {
    await admin.connect()
    await admin.deleteGroups([groupId])
  } catch {
    // Best effort: an empty group left behind expires on its own.
  } finally {
    await admin.disconnect().catch(() => undefined)
  }
}

/** Keeps the first record of each ce_id, in the order given. */
export function dedupe(records: Received[]): Received[] {
  const ids = new Set<string>()
  return records.filter((r) => {
    const id = r.headers.ce_id ?? ''
    if (ids.has(id)) return false
    ids.add(id)
    return true
  })
}
