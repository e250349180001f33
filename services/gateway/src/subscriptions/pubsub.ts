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
   * Called by mercurius when a subscription starts. It ends the subscription by calling the hooks in
   * the queue's `close` list (an array at run time, whatever its typings say).
   */
  subscribe(topics: string | string[], queue: Readable): Promise<void> {
    const hooks = queue as Readable & { close?: (() => void)[] }
    hooks.close ??= []
    for (const topic of typeof topics === 'string' ? [topics] : topics) {
      let closed = false
      const listener = (payload: unknown) => {
        // A queue ended by its subscription's close throws on a push.
        if (closed || queue.destroyed || queue.readableEnded) return
        queue.push(payload)
      }
      this.emitter.on(topic, listener)
      hooks.close.push(() => {
        closed = true
        this.emitter.removeListener(topic, listener)
      })
    }
    return Promise.resolve()
  }

  /** Hands `payload` to every subscription of `topic`, then calls back. */
  publish(event: { topic: string; payload: unknown }, callback: () => void): void {
    this.emitter.emit(event.topic, event.payload)
    callback()
  }
}
