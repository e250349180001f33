import type { RecordedEvent } from '@coord/eventstore'
import { BureauRouter, allEventsTopic, bureauTopic, encodeEvent } from '@coord/relay'
import type { Kafka, Message, TopicMessages } from 'kafkajs'

/**
 * The records the relay sends for `events`, built as it builds them (same topics, keys, headers,
 * values) and cut into batches as it cuts them: events are added until a batch holds `batchSize`
 * messages or more. Built ahead, so the limit measures the producer alone.
 */
export function relayBatches(events: RecordedEvent[], batchSize: number): TopicMessages[][] {
  const router = new BureauRouter()
  const batches: TopicMessages[][] = []
  let batch: TopicMessages[] = []
  let size = 0
  const message = (event: RecordedEvent) => {
    const encoded = encodeEvent(event)
    const built: Message = {
      key: event.streamId,
      value: Buffer.from(encoded.value.buffer, encoded.value.byteOffset, encoded.value.byteLength),
      headers: encoded.headers,
    }
    return { message: built, public: encoded.public }
  }
  for (const event of events) {
    const encoded = message(event)
    const bureaus = router.route(event)
    const topics = [allEventsTopic, ...(encoded.public ? bureaus.map(bureauTopic) : [])]
    const introduced = encoded.public ? router.introductions(event, bureaus) : null
    if (introduced) {
      const publication = message(introduced.event).message
      for (const bureau of introduced.bureaus)
        batch.push({ topic: bureauTopic(bureau), messages: [publication] })
      size += introduced.bureaus.length
    }
    for (const topic of topics) batch.push({ topic, messages: [encoded.message] })
    size += topics.length
    if (size >= batchSize) {
      batches.push(mergeByTopic(batch))
      batch = []
      size = 0
    }
  }
  if (batch.length > 0) batches.push(mergeByTopic(batch))
  return batches
}

function mergeByTopic(entries: TopicMessages[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>()
  for (const { topic, messages } of entries) byTopic.set(topic, [...(byTopic.get(topic) ?? []), ...messages])
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }))
}

/**
 * The limit: a raw kafkajs idempotent producer sending the batches one after another with
 * `sendBatch` and acks from all in-sync replicas, as the relay does. Returns events/s.
 */
export async function rawProducer(kafka: Kafka, batches: TopicMessages[][], events: number): Promise<number> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false })
  await producer.connect()
  try {
    const started = process.hrtime.bigint()
    for (const topicMessages of batches) await producer.sendBatch({ topicMessages, acks: -1 })
    return events / (Number(process.hrtime.bigint() - started) / 1e9)
  } finally {
    await producer.disconnect()
  }
}
