import t from 'tap'
import { Readable } from 'node:stream'
import { TopicPubSub } from '../src/subscriptions/pubsub.ts'

// The pubsub as mercurius drives it: a queue per subscription, ended through its close hooks.

function queue(): Readable & { close?: (() => void)[] } {
  return new Readable({ objectMode: true, read: () => undefined })
}

const drained = (q: Readable): unknown[] => {
  const items: unknown[] = []
  for (let item = q.read() as unknown; item !== null; item = q.read() as unknown) items.push(item)
  return items
}

t.test('a payload reaches the subscriptions of its topic only, until they close', async (t) => {
  const pubsub = new TopicPubSub()
  const a = queue()
  const b = queue()
  const both = queue()
  await pubsub.subscribe('taskEvents/a', a)
  await pubsub.subscribe('taskEvents/b', b)
  await pubsub.subscribe(['taskEvents/a', 'taskEvents/b'], both)
  t.equal(pubsub.subscriptions, 4, 'one per topic of each subscription')

  let called = 0
  pubsub.publish({ topic: 'taskEvents/a', payload: { n: 1 } }, () => (called += 1))
  pubsub.publish({ topic: 'taskEvents/*', payload: { n: 2 } }, () => (called += 1))
  t.equal(called, 2, 'each publish calls back')
  t.same(drained(a), [{ n: 1 }])
  t.same(drained(b), [], 'no wildcards: a topic is its exact name')
  t.same(drained(both), [{ n: 1 }])

  for (const close of a.close ?? []) close()
  a.push(null)
  t.equal(pubsub.subscriptions, 3, 'a closed subscription is forgotten')
  pubsub.publish({ topic: 'taskEvents/a', payload: { n: 3 } }, () => undefined)
  t.same(drained(both), [{ n: 3 }], 'the others still hear it')
})

t.test('a queue that ended before its close hooks ran gets nothing pushed', async (t) => {
  const pubsub = new TopicPubSub()
  const q = queue()
  await pubsub.subscribe('taskEvents/a', q)
  q.destroy()
  t.doesNotThrow(() => pubsub.publish({ topic: 'taskEvents/a', payload: { n: 1 } }, () => undefined))
  for (const close of q.close ?? []) close()
  t.equal(pubsub.subscriptions, 0)
})

t.test('regression: a queue ended before it subscribed gets no listener', async (t) => {
  const pubsub = new TopicPubSub()
  const q = queue()
  // mercurius ends the queue when the client completes before the subscription started.
  q.push(null)
  await pubsub.subscribe(['taskEvents/a', 'taskEvents/b'], q)
  t.equal(pubsub.subscriptions, 0)
  const destroyed = queue()
  destroyed.destroy()
  await pubsub.subscribe('taskEvents/a', destroyed)
  t.equal(pubsub.subscriptions, 0)
})

t.test('a queue that closes without its close hooks called leaves no listener', async (t) => {
  const pubsub = new TopicPubSub()
  const read = queue()
  const destroyed = queue()
  await pubsub.subscribe('taskEvents/a', read)
  await pubsub.subscribe(['taskEvents/a', 'taskEvents/b'], destroyed)
  t.equal(pubsub.subscriptions, 3)
  read.push(null)
  read.resume()
  const closed = [read, destroyed].map((q) => new Promise((resolve) => q.once('close', resolve)))
  destroyed.destroy()
  await Promise.all(closed)
  t.equal(pubsub.subscriptions, 0, 'gone once the queues closed')
})
