/** Every event, keyed by stream id so that each stream keeps its order within a partition. */
export const allEventsTopic = 'coord.events.all'

/** The prefix of the per-bureau topics: an ACL on `coord.bureau.<id>` gives a bureau only its own. */
export const bureauTopicPrefix = 'coord.bureau.'

const plain = /^[A-Za-z0-9_-]{1,200}$/
const encoded = /^x\.((?:[0-9a-f]{2})+)$/

/**
 * The topic carrying what concerns one bureau. Kafka topic names allow only ASCII letters,
 * digits, `.`, `_` and `-`; a bureau id outside that set (e.g. a Chinese name) is written as `x.`
 * and the hex of its UTF-8 bytes. A plain id has no `.`, so the two forms never collide.
 */
export function bureauTopic(bureauId: string): string {
  if (plain.test(bureauId)) return `${bureauTopicPrefix}${bureauId}`
  const topic = `${bureauTopicPrefix}x.${Buffer.from(bureauId, 'utf8').toString('hex')}`
  if (topic.length > 249) throw new RangeError(`bureau id too long for a topic name: ${bureauId}`)
  return topic
}

/** The bureau id a bureau topic carries, or null for another topic. */
export function bureauOfTopic(topic: string): string | null {
  if (!topic.startsWith(bureauTopicPrefix)) return null
  const rest = topic.slice(bureauTopicPrefix.length)
  const hex = encoded.exec(rest)?.[1]
  if (hex) return Buffer.from(hex, 'hex').toString('utf8')
  return plain.test(rest) ? rest : null
}
