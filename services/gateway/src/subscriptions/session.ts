import type { Readable } from 'node:stream'

/** The part of a `ws` WebSocket a session uses. */
export interface SessionSocket {
  close(code?: number, reason?: string): void
  once(event: 'close', listener: () => void): unknown
}

/** The graphql-transport-ws close codes the gateway uses. */
export const closeCodes = Object.freeze({
  /** The connection's token expired (the protocol's "Unauthorized"). */
  unauthorized: 4401,
  /** A message the protocol does not allow (not JSON, an unknown type, a subscribe without a query, ...). */
  badRequest: 4400,
  /** A subscribe reused the id of a subscription still running. */
  subscriberExists: 4409,
})

/** The longest delay a Node timer takes; a later expiry is reached in several steps. */
const longestTimer = 2 ** 31 - 1

/** Subscriptions starting at once on one connection that a complete can still cancel. */
const maxStarting = 1000

/**
 * What the gateway keeps for one WebSocket connection: the subscriptions running on it, by id,
 * and when its token expires. At the expiry the socket is closed (4401) and its subscriptions
 * end; a subscribe reusing a running subscription's id closes the socket (4409), as
 * graphql-transport-ws says. A complete that arrives while its subscription is still starting
 * ends it as soon as it starts. When the socket closes, every queue still held is destroyed, so
 * no subscription outlives its connection, whatever state mercurius kept.
 */
export class SocketSession {
  private readonly live = new Map<string, Readable>()
  private readonly starting = new Set<string>()
  private readonly cancelled = new Set<string>()
  private expiresAt: number | null = null
  private timer: NodeJS.Timeout | null = null
  private closed = false

  constructor(
    private readonly socket: SessionSocket,
    private readonly clock: () => number = Date.now,
  ) {
    socket.once('close', () => this.end())
  }

  /** Closes the connection at `expiresAt` (epoch milliseconds). */
  expireAt(expiresAt: number): void {
    this.expiresAt = expiresAt
    this.arm()
  }

  /** Whether the connection's token has expired. */
  get expired(): boolean {
    return this.expiresAt !== null && this.clock() >= this.expiresAt
  }

  /** Whether a subscription with this id is running. */
  running(id: string): boolean {
    return this.live.has(id)
  }

  /** A subscription with this id passed the checks and is starting. */
  start(id: string): void {
    this.cancelled.delete(id)
    this.starting.delete(id)
    this.starting.add(id)
    // Starts that failed are never held: keep only the latest.
    for (const oldest of this.starting) {
      if (this.starting.size <= maxStarting) break
      this.starting.delete(oldest)
      this.cancelled.delete(oldest)
    }
  }

  /** The client completed the subscription `id`: one still starting ends once it starts. */
  cancel(id: string): void {
    if (this.starting.has(id)) this.cancelled.add(id)
  }

  /** Closes the connection because its token expired. */
  closeExpired(): void {
    this.close(closeCodes.unauthorized, 'Unauthorized: the token has expired')
  }

  /** Closes the connection because a message broke the protocol; `reason` says how. */
  closeInvalid(reason: string): void {
    this.close(closeCodes.badRequest, reason)
  }

  /** Closes the connection because a subscribe reused a running subscription's id. */
  closeDuplicate(id: string): void {
    this.close(closeCodes.subscriberExists, `Subscriber for ${id} already exists`)
  }

  /**
   * Holds a subscription's queue until it closes, or ends it at once when the client completed
   * it while it started. Returns false, having destroyed the queue and closed the connection,
   * when another subscription with this id is running.
   */
  hold(id: string, queue: Readable): boolean {
    this.starting.delete(id)
    if (this.closed || this.live.has(id)) {
      queue.destroy()
      if (!this.closed) this.closeDuplicate(id)
      return false
    }
    if (this.cancelled.delete(id)) {
      queue.push(null)
      return true
    }
    this.live.set(id, queue)
    queue.once('close', () => {
      if (this.live.get(id) === queue) this.live.delete(id)
    })
    return true
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer)
    if (this.expiresAt === null || this.closed) return
    const delay = this.expiresAt - this.clock()
    if (delay <= 0) {
      this.closeExpired()
      return
    }
    this.timer = setTimeout(() => this.arm(), Math.min(delay, longestTimer))
    this.timer.unref()
  }

  private close(code: number, reason: string): void {
    this.socket.close(code, reason)
    this.end()
  }

  private end(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.closed = true
    this.starting.clear()
    this.cancelled.clear()
    const queues = [...this.live.values()]
    this.live.clear()
    for (const queue of queues) queue.destroy()
  }
}

/** The session of each socket, made on first asking. */
export class SocketSessions {
  private readonly sessions = new WeakMap<SessionSocket, SocketSession>()

  of(socket: SessionSocket): SocketSession {
    let session = this.sessions.get(socket)
    if (!session) {
      session = new SocketSession(socket)
      this.sessions.set(socket, session)
    }
    return session
  }
}
