import { EventEmitter } from 'node:events'
import type { Readable } from 'node:stream'

/**
 * The gateway's pubsub for GraphQL subscriptions (mercurius' `subscription.pubsub`), in the process:
 * topics are exact names (no wildcards), and it knows how many subscriptions are open, so the feed
 * looks up nothing for a batch no subscriber would hear.
 */
export class TopicPubSub {
  readonly emitter = new EventEmitter().setMaxListeners(0)

  /** Open subscriptions, over every topic. */
  get subscriptions(): number {
    let count = 0
    for (const topic of this.emitter.eventNames()) count += this.emitter.listenerCount(topic)
    return count
  }

  /**
   * Called by mercurius when a subscription starts. A queue already ended (the client completed
   * the subscription before it started) gets no listener. The listeners go when mercurius calls
   * the hooks in the queue's `close` list (an array at run time, whatever its typings say) or when
   * the queue closes, whichever comes first: a queue ended or destroyed without those hooks, or
   * whose hooks are never called, leaves nothing behind.
   */
  subscribe(topics: string | string[], queue: Readable): Promise<void> {
    if (ended(queue)) return Promise.resolve()
    const hooks = queue as Readable & { close?: (() => void)[] }
    hooks.close ??= []
    const removers: (() => void)[] = []
    for (const topic of typeof topics === 'string' ? [topics] : topics) {
      let closed = false
      const listener = (payload: unknown) => {
        // A queue ended by its subscription's close throws on a push.
        if (closed || ended(queue)) return
        queue.push(payload)
      }
      this.emitter.on(topic, listener)
      const remove = () => {
        closed = true
        this.emitter.removeListener(topic, listener)
      }
      removers.push(remove)
      hooks.close.push(remove)
    }
    queue.once('close', () => {
      for (const remove of removers) remove()
    })
    return Promise.resolve()
  }

  /** Hands `payload` to every subscription of `topic`, then calls back. */
  publish(event: { topic: string; payload: unknown }, callback: () => void): void {
    this.emitter.emit(event.topic, event.payload)
    callback()
  }
}

/**
 * Whether nothing more may be pushed to `queue`. `readableEnded` turns true only once a reader
 * saw the end; the stream's state knows as soon as the end was pushed.
 */
function ended(queue: Readable): boolean {
  const state = (queue as Readable & { _readableState?: { ended?: boolean } })._readableState
  return queue.destroyed || queue.readableEnded || state?.ended === true
}
