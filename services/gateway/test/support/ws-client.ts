import WebSocket from 'ws'

/** A message of the graphql-transport-ws protocol. */
export interface Message {
  type: string
  id?: string
  payload?: unknown
}

/**
 * A small graphql-transport-ws client over a real WebSocket, for tests: it sends
 * `connection_init` with the given params and lets a test await each message the server sends.
 */
export class TransportWsClient {
  private readonly received: Message[] = []
  private waiting: { match: (message: Message) => boolean; resolve: (message: Message) => void }[] = []
  /** The close code once the server closed the socket. */
  closed: Promise<number>
  /** The close code and reason once the server closed the socket. */
  closedWith: Promise<{ code: number; reason: string }>

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (raw: Buffer) => this.deliver(JSON.parse(raw.toString('utf8')) as Message))
    this.closedWith = new Promise((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })),
    )
    this.closed = this.closedWith.then(({ code }) => code)
  }

  static async open(url: string, connectionParams: unknown): Promise<TransportWsClient> {
    const socket = new WebSocket(url, 'graphql-transport-ws')
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
    })
    const client = new TransportWsClient(socket)
    client.send({ type: 'connection_init', payload: connectionParams })
    return client
  }

  send(message: Message): void {
    this.socket.send(JSON.stringify(message))
  }

  /** Sends a text frame as it is, valid message or not. */
  sendText(text: string): void {
    this.socket.send(text)
  }

  subscribe(id: string, query: string): void {
    this.send({ id, type: 'subscribe', payload: { query } })
  }

  /** The next message (already received or still to come) that `match` accepts, taken off the queue. */
  next(match: (message: Message) => boolean, timeoutMs = 20_000): Promise<Message> {
    const index = this.received.findIndex(match)
    if (index >= 0) return Promise.resolve(this.received.splice(index, 1)[0] as Message)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no such message in time')), timeoutMs)
      this.waiting.push({
        match,
        resolve: (message) => {
          clearTimeout(timer)
          resolve(message)
        },
      })
    })
  }

  /** Messages received and not taken. */
  pending(): readonly Message[] {
    return this.received
  }

  close(): void {
    this.socket.close()
  }

  private deliver(message: Message): void {
    const waiter = this.waiting.find((w) => w.match(message))
    if (waiter) {
      this.waiting = this.waiting.filter((w) => w !== waiter)
      waiter.resolve(message)
    } else {
      this.received.push(message)
    }
  }
}
