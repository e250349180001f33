import {
  Partitioners,
  type Admin,
  type Kafka,
  type Message,
  type Producer,
  type TopicMessages,
} from 'kafkajs'
import type { EventStore, RecordedEvent, Subscription } from '@coord/eventstore'
import { encodeEvent, type EncodedEvent } from './encode.ts'
import { BureauRouter } from './routing.ts'
import { allEventsTopic, bureauTopic } from './topics.ts'

/** How an event becomes a record (default: the public protobuf contract, see encode.ts). */
export type Encoder = (event: RecordedEvent) => EncodedEvent

export interface RelayOptions {
  store: EventStore
  kafka: Kafka
  encode?: Encoder
  /** The checkpoint's name in the event store; several relays for different clusters need their own. */
  name?: string
  /** Messages per batch sent (events × the topics each goes to). */
  batchSize?: number
  /** How long a partial batch waits for more events before it is sent. */
  lingerMs?: number
  /** Partitions of the topics the relay creates. */
  partitions?: number
  logger?: {
    info(details: object, message: string): void
    warn(details: object, message: string): void
    error(details: object, message: string): void
  }
}

export interface RelayStatus {
  /** Whether it is connected to the brokers and following the store (false: still trying them). */
  connected: boolean
  /** Position of the last event the broker acknowledged. */
  checkpoint: number
  /** Events in the store not yet acknowledged by the broker. */
  lagEvents: number
  /** Age of the oldest event not yet acknowledged (0 when caught up). */
  lagSeconds: number
}

/**
 * Publishes the event store to Kafka: every event on `coord.events.all`, and each event again on
 * the topic of every bureau it concerns. The checkpoint advances only after the broker has
 * acknowledged a batch from all in-sync replicas, so a crash or a broker outage loses nothing;
 * the events after the checkpoint are sent again on restart (consumers drop repeats by `ce_id`).
 * Sends are serialised and batched: one `sendBatch` in flight at a time on an idempotent producer.
 */
export class Relay {
  private readonly router = new BureauRouter()
  private readonly producer: Producer
  private readonly admin: Admin
  private readonly knownTopics = new Set<string>()
  private readonly name: string
  private subscription: Subscription | null = null
  private pending: { event: RecordedEvent; messages: TopicMessages[] }[] = []
  private pendingMessages = 0
  private flushing: Promise<void> = Promise.resolve()
  /** The full batch last handed to `flush`, awaited before the next one is (back-pressure). */
  private sending: Promise<void> = Promise.resolve()
  /** Checkpoint saves, in order, each after its batch was acknowledged. */
  private checkpointing: Promise<void> = Promise.resolve()
  private lingerTimer: NodeJS.Timeout | null = null
  private acknowledged = 0
  private oldestPendingAt: number | null = null
  private stopping = false
  private isConnected = false
  /** Connecting to the brokers, then following the store: in the background from `start`. */
  private following: Promise<void> = Promise.resolve()
  /** Ends the pause before the next try of `untilDone` (when stopping). */
  private wake: () => void = () => undefined

  constructor(private readonly options: RelayOptions) {
    this.name = options.name ?? 'kafka-relay'
    this.producer = options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // kafkajs' default since 2.0 (murmur2, as Java clients partition keys), named so it says so.
      createPartitioner: Partitioners.DefaultPartitioner,
    })
    this.admin = options.kafka.admin()
  }

  /**
   * Reads the checkpoint and what routing needs from the store, then, in the background, connects
   * to the brokers and follows the store from the checkpoint. Brokers that do not answer are tried
   * again, backing off, until they do or the relay stops, so what runs the relay starts without
   * them (`status().connected`, `health()`); `connected()` resolves once it follows the store.
   */
  async start(): Promise<void> {
    const { store } = this.options
    this.acknowledged = await store.checkpoint(this.name)
    // Routing needs every publication and assignment made before the checkpoint.
    for (const typePrefix of ['TaskPublished', 'TaskAssigned']) {
      for await (const event of store.readAll({ filter: { typePrefix } })) {
        if (event.position > this.acknowledged) break
        this.router.remember(event)
      }
    }
    // Never rejects: a try that fails is reported and tried again; letting go after a stop is
    // best effort.
    this.following = this.follow().catch((err: unknown) => {
      this.options.logger?.warn({ err }, 'letting go of the brokers failed')
    })
  }

  /** Resolves once connected to the brokers and following the store (or stopped before). */
  connected(): Promise<void> {
    return this.following
  }

  private async follow(): Promise<void> {
    if (this.stopping) return
    try {
      const connect = async () => {
        await this.admin.connect()
        await this.producer.connect()
        await this.ensureTopics([allEventsTopic])
      }
      await this.untilDone('connecting to Kafka failed; retrying', connect, 1)
    } catch (err) {
      if (!this.stopping) throw err
    }
    // Stopped during a try: what that try connected is let go (stop did not wait for it).
    if (this.stopping) return this.disconnect()
    this.subscription = this.options.store.subscribeToAll({ fromPosition: this.acknowledged + 1 }, (event) =>
      this.enqueue(event),
    )
    this.isConnected = true
    this.options.logger?.info({ checkpoint: this.acknowledged }, 'relay started')
  }

  async status(): Promise<RelayStatus> {
    const head = await this.options.store.headPosition()
    const oldest = this.oldestPendingAt
    return {
      connected: this.isConnected,
      checkpoint: this.acknowledged,
      lagEvents: Math.max(0, head - this.acknowledged),
      lagSeconds: oldest === null ? 0 : (Date.now() - oldest) / 1000,
    }
  }

  /** The status, for a health check: fails while the brokers have not been reached. */
  async health(): Promise<RelayStatus> {
    const status = await this.status()
    if (!status.connected) throw new Error('not connected to the Kafka brokers yet; trying again')
    return status
  }

  /**
   * Stops reading, sends what is pending, and disconnects. Stopped while still trying the
   * brokers, it waits for no answer from them: nothing was read, so nothing is pending.
   */
  async stop(): Promise<void> {
    this.stopping = true
    this.wake()
    if (!this.isConnected) return this.disconnect()
    await this.subscription?.stop()
    if (this.lingerTimer) clearTimeout(this.lingerTimer)
    await this.flush().catch(() => undefined)
    await this.checkpointing.catch(() => undefined)
    await this.disconnect()
  }

  private async disconnect(): Promise<void> {
    await this.producer.disconnect()
    await this.admin.disconnect()
  }

  private async enqueue(event: RecordedEvent): Promise<void> {
    const messages = this.messagesFor(event)
    this.pending.push({ event, messages })
    this.pendingMessages += messages.length
    this.oldestPendingAt ??= Date.parse(event.metadata.recordedAt)
    if (this.pendingMessages >= (this.options.batchSize ?? 500)) {
      // One batch on the wire while the next fills: reading and encoding overlap the broker's
      // round trip. Back-pressure: a full batch waits until the one before it was acknowledged.
      const before = this.sending
      this.sending = this.flush()
      this.sending.catch(() => undefined)
      return before
    }
    this.lingerTimer ??= setTimeout(() => {
      this.lingerTimer = null
      this.flush().catch(() => undefined)
    }, this.options.lingerMs ?? 10)
  }

  private messagesFor(event: RecordedEvent): TopicMessages[] {
    const encoded = this.encode(event)
    const bureaus = this.router.route(event)
    const topics = [allEventsTopic, ...(encoded.public ? bureaus.map(bureauTopic) : [])]
    const own = topics.map((topic) => ({ topic, messages: [encoded.message] }))
    // A bureau new to the task gets the task's publication first, on its own topic only.
    const introduced = encoded.public ? this.router.introductions(event, bureaus) : null
    if (!introduced) return own
    const publication = this.encode(introduced.event).message
    return [...introduced.bureaus.map((b) => ({ topic: bureauTopic(b), messages: [publication] })), ...own]
  }

  private encode(event: RecordedEvent): { message: Message; public: boolean } {
    const encoded = (this.options.encode ?? encodeEvent)(event)
    const message: Message = {
      key: event.streamId,
      value: Buffer.from(encoded.value.buffer, encoded.value.byteOffset, encoded.value.byteLength),
      headers: encoded.headers,
    }
    return { message, public: encoded.public }
  }

  /** Sends everything pending as one batch, after the batch before it; retries until acknowledged. */
  private flush(): Promise<void> {
    // A batch that failed (only while stopping) must not leave the chain rejected: every later
    // flush would then be skipped without a send.
    this.flushing = this.flushing.catch(() => undefined).then(() => this.sendPending())
    return this.flushing
  }

  private async sendPending(): Promise<void> {
    const batch = this.pending
    const last = batch[batch.length - 1]
    if (!last) return
    this.pending = []
    this.pendingMessages = 0
    const topicMessages = mergeByTopic(batch.flatMap((b) => b.messages))
    await this.untilDone('sending to Kafka failed; retrying', async () => {
      await this.ensureTopics(topicMessages.map((t) => t.topic))
      await this.producer.sendBatch({ topicMessages, acks: -1 })
    })
    // The broker has the batch; only the checkpoint is left. Saved in order on a chain of its own,
    // so the next batch goes out meanwhile, and retried on its own, so a database that refuses the
    // write for a while neither stops the relay nor has the batch sent again.
    this.checkpointing = this.checkpointing.then(async () => {
      await this.untilDone('saving the checkpoint failed; retrying', () =>
        this.options.store.saveCheckpoint(this.name, last.event.position),
      )
      this.acknowledged = Math.max(this.acknowledged, last.event.position)
    })
    this.checkpointing.catch(() => undefined)
    const next = this.pending[0]
    this.oldestPendingAt = next ? Date.parse(next.event.metadata.recordedAt) : null
  }

  /**
   * Runs `work` until it succeeds, backing off (a stop cuts the pause short); once stopping, gives
   * up after `triesOnceStopping` attempts in all. A first failure is logged as a warning, each one
   * after it in a row as an error: a broker that kafkajs gave up on (after about 50 s of its own
   * tries) twice running is down, not restarting.
   */
  private async untilDone(what: string, work: () => Promise<void>, triesOnceStopping = 3): Promise<void> {
    let failure: unknown
    for (let attempt = 0; ; attempt++) {
      // A stop during the pause: no more tries than it allows.
      if (this.stopping && attempt >= triesOnceStopping) throw failure
      try {
        await work()
        return
      } catch (err) {
        failure = err
        if (this.stopping && attempt + 1 >= triesOnceStopping) throw err
        const logger = this.options.logger
        if (attempt === 0) logger?.warn({ err, attempt }, what)
        else logger?.error({ err, attempt }, what)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(5000, 200 * 2 ** Math.min(attempt, 5)))
          this.wake = () => {
            clearTimeout(timer)
            resolve()
          }
        })
      }
    }
  }

  private async ensureTopics(topics: string[]): Promise<void> {
    let missing = [...new Set(topics)].filter((t) => !this.knownTopics.has(t))
    if (missing.length === 0) return
    // Topics an earlier run made are looked up first: asked to create one that exists, the broker
    // answers with an error that kafkajs logs as one, at every start.
    for (const topic of await this.admin.listTopics()) this.knownTopics.add(topic)
    missing = missing.filter((t) => !this.knownTopics.has(t))
    if (missing.length === 0) return
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({ topic, numPartitions: this.options.partitions ?? 3 })),
    })
    for (const topic of missing) this.knownTopics.add(topic)
  }
}

/** One entry per topic, messages in the order given (per stream order is kept by key). */
function mergeByTopic(entries: TopicMessages[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>()
  for (const { topic, messages } of entries) {
    const list = byTopic.get(topic) ?? []
    list.push(...messages)
    byTopic.set(topic, list)
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }))
}
