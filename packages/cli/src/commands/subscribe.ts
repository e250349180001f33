import { fromMessage } from '@coord/contracts'
import { bureauTopic, createKafka } from '@coord/relay'
import { loadConfig } from '@coord/service-kit/config'
import type { Consumer, IHeaders, Kafka, KafkaMessage } from 'kafkajs'
import { CliError, parse, refuseExtraArguments, type CliCommand } from '../cli.ts'

/** An event as the platform records it (the eventstore's RecordedEvent), as fromMessage gives it. */
type RecordedEvent = ReturnType<typeof fromMessage>

const help = `usage: coord subscribe --bureau <id> [--from-beginning] [--brokers host:port,...] [--group <id>] [--json]

Follows the Kafka topic of one bureau (委办局): every event that concerns it, one line each, until
Ctrl-C. Events arrive at least once; repeats (same ce_id) are printed once.
  --bureau          the bureau id, e.g. ip-office (a Chinese id is fine)
  --from-beginning  read the topic from its first event, wherever the group stopped before
  --brokers         Kafka bootstrap brokers (default KAFKA_BROKERS)
  --group           the consumer group (default coord-subscribe-<bureau>); it remembers where it
                    stopped, so the next run goes on from there
  --json            one JSON object per event and line, for scripts`

/** How many event ids are remembered for dropping repeats: a relay resends at most a few batches. */
export const rememberedIds = 100_000

export const subscribeCommand: CliCommand = {
  async run(args) {
    const parsed = parse(
      args,
      {
        bureau: { type: 'string' },
        'from-beginning': { type: 'boolean', default: false },
        brokers: { type: 'string' },
        group: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      help,
    )
    if (!parsed) return 0
    refuseExtraArguments(parsed.positionals, 0, help)
    const { bureau, brokers: given, group, json } = parsed.values
    if (!bureau) throw new CliError(`--bureau <id> is required\n\n${help}`)
    const brokers = given ? given.split(',').map((b) => b.trim()) : [...loadConfig().kafkaBrokers]
    if (brokers.length === 0 || brokers.some((b) => !/^[^\s:]+:\d+$/.test(b))) {
      throw new CliError('no Kafka brokers: pass --brokers host:port or set KAFKA_BROKERS')
    }
    return subscribe({
      brokers,
      bureau,
      groupId: group ?? `coord-subscribe-${bureau}`,
      fromBeginning: parsed.values['from-beginning'],
      print: json ? jsonLine : (event) => `${formatEvent(event)}\n`,
    })
  },
}

interface Subscribe {
  brokers: string[]
  bureau: string
  groupId: string
  fromBeginning: boolean
  print: (event: Delivered) => string
}

/** A decoded event and where it was read. */
export type Delivered = RecordedEvent & { kafka: { topic: string; partition: number; offset: string } }

/** kafkajs' warnings and errors on stderr: a broker lost and tried again shows at the terminal. */
const say = (_details: object, message: string) => process.stderr.write(`coord: kafka: ${message}\n`)
const warnings = { debug: () => undefined, info: () => undefined, warn: say, error: say }

/**
 * How long the first contact with the brokers is tried before the command gives up: five tries
 * over about 3 s (each try that reaches no answer at all waits up to kafkajs' 1 s connection
 * timeout). Someone at a terminal learns a mistyped or stopped broker at once; once connected,
 * the consumer waits out a broker restart as the services do.
 */
const firstContact = { initialRetryTime: 200, retries: 4 }

async function subscribe(options: Subscribe): Promise<number> {
  const topic = bureauTopic(options.bureau)
  const kafka = createKafka(options.brokers, 'coord-subscribe', warnings)
  // Silent: its tries failing are said in one line (reachingBrokers), not a line per try.
  const probe = createKafka(options.brokers, 'coord-subscribe', undefined, firstContact)
  const stop = stopSignal()
  try {
    const reach = (connecting: Promise<void>) => reachingBrokers(options.brokers, connecting)
    if (!(await waitForTopic(probe, topic, stop.signal, reach))) return 0
    const consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false })
    const seen = new RecentIds(rememberedIds)
    const crashed = new Promise<never>((_resolve, reject) => {
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) reject(new CliError(`the consumer stopped: ${payload.error.message}`, 1))
      })
    })
    // Awaited below; a crash before that must not count as an unhandled rejection meanwhile.
    crashed.catch(() => undefined)
    let assigned: number[] = []
    const joined = consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      assigned = payload.memberAssignment[topic] ?? []
    })
    await reach(consumer.connect())
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: options.fromBeginning })
      await consumer.run({
        eachMessage: ({ partition, message }) => {
          const event = decode(message)
          // ce_id is the event id; the header is what the contract tells consumers to dedupe by.
          if (event && seen.add(header(message.headers, 'ce_id') ?? event.id)) {
            const kafka = { topic, partition, offset: message.offset }
            process.stdout.write(options.print({ ...event, kafka }))
          }
          return Promise.resolve()
        },
      })
      joined()
      // fromBeginning applies only to a group without offsets; --from-beginning means the topic's
      // first event in any case. Seeking the partitions of the first assignment (a batch fetched
      // from the committed offsets before the seek is dropped by kafkajs) replays the topic.
      if (options.fromBeginning) {
        for (const partition of assigned) consumer.seek({ topic, partition, offset: earliest })
      }
      process.stderr.write(`订阅 ${topic}（消费组 ${options.groupId}），按 Ctrl-C 退出\n`)
      await Promise.race([stop.signal, crashed])
    } finally {
      await disconnect(consumer)
    }
    return 0
  } finally {
    stop.dispose()
  }
}

/** kafkajs's (and Kafka's) special offset for the earliest one a partition still holds. */
const earliest = '-2'

/** Resolves on the first SIGINT or SIGTERM; a second one ends the process at once. */
function stopSignal(): { signal: Promise<void>; dispose: () => void } {
  let onSignal: () => void = () => undefined
  const signal = new Promise<void>((resolve) => {
    onSignal = () => {
      process.once('SIGINT', () => process.exit(130))
      resolve()
    }
  })
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  return {
    signal,
    dispose: () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    },
  }
}

/** A connection to the brokers that fails (kafkajs gave up retrying) as a one-line failure. */
async function reachingBrokers(brokers: string[], connecting: Promise<void>): Promise<void> {
  await connecting.catch((error: Error) => {
    if (!error.name.startsWith('KafkaJS')) throw error
    throw new CliError(`cannot reach the Kafka brokers ${brokers.join(',')}: ${error.message}`, 1)
  })
}

/** A bureau's topic exists once the relay sent it something; until then, wait (false: stopped). */
async function waitForTopic(
  kafka: Kafka,
  topic: string,
  stop: Promise<void>,
  reach: (connecting: Promise<void>) => Promise<void>,
): Promise<boolean> {
  const admin = kafka.admin()
  await reach(admin.connect())
  let stopped = false
  void stop.then(() => (stopped = true))
  try {
    for (let said = false; !stopped; said = true) {
      // A failed look (the broker restarting) is asked again on the next round.
      const topics = await admin.listTopics().catch((): string[] => [])
      if (topics.includes(topic)) return true
      if (!said) process.stderr.write(`主题 ${topic} 尚无事件，等待中…\n`)
      await Promise.race([stop, new Promise((resolve) => setTimeout(resolve, 1000))])
    }
    return false
  } finally {
    await admin.disconnect()
  }
}

async function disconnect(consumer: Consumer): Promise<void> {
  await consumer.disconnect().catch((error: unknown) => {
    process.stderr.write(`coord: disconnecting from Kafka: ${(error as Error).message}\n`)
  })
}

const skipped = new Set<string>()

/** The event of a record, or null for one this version cannot read (skipped, said once per type). */
function decode(message: KafkaMessage): RecordedEvent | null {
  const type = header(message.headers, 'ce_type')
  try {
    if (!type || !message.value) throw new Error('no ce_type header or no value')
    return fromMessage(type, message.value)
  } catch (error) {
    const key = type ?? '(none)'
    if (!skipped.has(key)) {
      skipped.add(key)
      process.stderr.write(`跳过无法解析的事件 ${key}: ${(error as Error).message}\n`)
    }
    return null
  }
}

/** A header as a string: kafkajs hands header values over as Buffers. */
export function header(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name]
  const last = Array.isArray(value) ? value[value.length - 1] : value
  return last?.toString()
}

/** Remembers the last `limit` ids; `add` answers whether the id is new. */
export class RecentIds {
  private readonly ids = new Set<string>()

  constructor(private readonly limit: number) {}

  add(id: string): boolean {
    if (this.ids.has(id)) return false
    this.ids.add(id)
    if (this.ids.size > this.limit) {
      const oldest = this.ids.values().next()
      if (!oldest.done) this.ids.delete(oldest.value)
    }
    return true
  }
}

function jsonLine(event: Delivered): string {
  return `${JSON.stringify(event)}\n`
}

type Data = Record<string, unknown>
const text = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : ''
const list = (value: unknown): string => (Array.isArray(value) ? value.map(text).join('、') : '')

/** The Chinese name of every event type bureaus receive, and what of its data a line shows. */
export const eventLabels: Readonly<Record<string, { label: string; detail?: (data: Data) => string }>> = {
  PlanImported: { label: '方案导入', detail: (d) => text(d.title) },
  PlanIssued: { label: '方案印发' },
  PlanAmended: { label: '方案修订', detail: (d) => text(d.reason) },
  GoalDefined: { label: '目标确定', detail: (d) => text(d.text) },
  TargetDefined: { label: '指标确定', detail: (d) => `${text(d.metric)} ${text(d.value)}${text(d.unit)}` },
  TargetMeasurementReported: {
    label: '指标填报',
    detail: (d) => `${text(d.targetId)} ${text(d.value)}（截至 ${text(d.asOf)}）`,
  },
  TaskPublished: { label: '任务发布', detail: (d) => text(d.title) },
  TaskAssigned: {
    label: '任务分派',
    detail: (d) => `牵头 ${list(d.leads)}${list(d.partners) ? `；配合 ${list(d.partners)}` : ''}`,
  },
  TaskAcknowledged: { label: '签收', detail: (d) => text(d.bureauId) },
  DeadlineSet: { label: '设定期限', detail: (d) => text(d.deadline) },
  DeadlineChanged: {
    label: '期限调整',
    detail: (d) => `${text(d.from)} → ${text(d.to)}（${text(d.reason)}）`,
  },
  ProgressReported: { label: '进展报告', detail: (d) => `${text(d.bureauId)} ${text(d.percent)}%` },
  CompletionSubmitted: { label: '申请办结', detail: (d) => `${text(d.bureauId)} ${text(d.summary)}` },
  CompletionVerified: { label: '办结核验通过', detail: (d) => text(d.note) },
  CompletionRejected: { label: '办结退回', detail: (d) => text(d.reason) },
  TaskClosed: { label: '销号' },
  TaskSuspended: { label: '任务暂停', detail: (d) => text(d.reason) },
  TaskResumed: { label: '任务恢复', detail: (d) => text(d.reason) },
  TaskCancelled: { label: '任务撤销', detail: (d) => text(d.reason) },
  DeadlineApproaching: { label: '临期催办', detail: (d) => `${text(d.deadline)}，剩 ${text(d.daysLeft)} 天` },
  DeadlineMissed: { label: '逾期', detail: (d) => text(d.deadline) },
  JointMeetingScheduled: { label: '联席会议召集', detail: (d) => `第${text(d.session)}次 ${text(d.date)}` },
  AttendanceRecorded: { label: '出席登记' },
  ResolutionAdopted: { label: '议定事项', detail: (d) => `${text(d.resolutionId)} ${text(d.text)}` },
  ResolutionCorrected: { label: '议定事项更正', detail: (d) => `${text(d.resolutionId)} ${text(d.text)}` },
  MinutesIssued: { label: '会议纪要印发', detail: (d) => text(d.minutesNumber) },
  JointMeetingClosed: { label: '会议结束' },
  BureauRegistered: { label: '委办局登记', detail: (d) => text(d.nameZh) },
  BureauRenamed: { label: '委办局更名', detail: (d) => text(d.nameZh) },
  BureauDissolved: { label: '委办局撤销', detail: (d) => text(d.reason) },
  ResponsibilityListPublished: { label: '清单发布', detail: (d) => text(d.bureauId) },
  DutyAdded: { label: '职责新增', detail: (d) => text(d.title) },
  DutyAmended: { label: '职责修改', detail: (d) => text(d.title) },
  DutyRevoked: { label: '职责取消', detail: (d) => text(d.reason) },
  DutyTransferred: {
    label: '职责划出',
    detail: (d) => `${text(d.dutyId)} ${text(d.fromBureauId)} → ${text(d.toBureauId)}`,
  },
  DutyReceived: {
    label: '职责划入',
    detail: (d) => `${text(d.dutyId)} ${text(d.fromBureauId)} → ${text(d.toBureauId)}`,
  },
  BureausMerged: { label: '机构合并', detail: (d) => `${list(d.fromBureauIds)} → ${text(d.intoBureauId)}` },
  BureauSplit: { label: '机构拆分', detail: (d) => `${text(d.fromBureauId)} → ${list(d.intoBureauIds)}` },
}

/** What a stream is about, in Chinese: 任务 三.(二).7, 方案 <id>, 会议 <id>, 委办局 <id>… */
export function subjectOf(streamId: string): string {
  const task = /^task-[^/]+\/(.+)$/.exec(streamId)
  if (task?.[1]) return `任务 ${task[1]}`
  const duties = /^duties-(.+)-(power|responsibility)$/.exec(streamId)
  if (duties?.[1]) return `${duties[1]} ${duties[2] === 'power' ? '权力清单' : '责任清单'}`
  const prefixes: [string, string][] = [
    ['plan-', '方案'],
    ['meeting-', '会议'],
    ['bureau-', '委办局'],
    ['reorganisation-', '机构改革'],
  ]
  for (const [prefix, label] of prefixes) {
    if (streamId.startsWith(prefix)) return `${label} ${streamId.slice(prefix.length)}`
  }
  return streamId
}

/** Business time (occurredAt) as China Standard Time, to the minute: 2018-03-01 16:00. */
export function chinaTime(iso: string): string {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return iso
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')
}

/** One readable line: `2018-03-01 16:00  任务 三.(二).7  进展报告 (ProgressReported)  区知识产权局 60%`. */
export function formatEvent(event: RecordedEvent): string {
  const known = eventLabels[event.type]
  const data = (event.data ?? {}) as Data
  const detail = known?.detail?.(data).trim() ?? ''
  const parts = [
    chinaTime(event.metadata.occurredAt),
    subjectOf(event.streamId),
    `${known?.label ?? '事件'} (${event.type})`,
  ]
  return [...parts, ...(detail ? [detail] : [])].join('  ')
}
