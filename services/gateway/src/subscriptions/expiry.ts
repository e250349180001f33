import type { SessionSocket, SocketSessions } from './session.ts'

/** The part of a `ws` socket the expiry watches: its messages. */
export interface InitSocket extends SessionSocket {
  on(event: 'message', listener: (data: unknown) => void): unknown
  off(event: 'message', listener: (data: unknown) => void): unknown
}

/** The part of the WebSocket server (`app.websocketServer`) the expiry watches: new connections. */
export interface ConnectionSource {
  on(event: 'connection', listener: (socket: InitSocket) => void): unknown
}

/**
 * Closes every connection when the token of its connection_init expires (4401), whether or not
 * it ever subscribes: each connection's first message is read as mercurius reads it, and a
 * connection_init whose token `expiryOf` accepts arms the connection's session with that token's
 * expiry (epoch milliseconds). A refused token arms nothing: mercurius closes that connection
 * itself. Only the first message is read; graphql-transport-ws allows nothing else first.
 */
export function closeAtTokenExpiry(
  server: ConnectionSource,
  sessions: SocketSessions,
  expiryOf: (payload: unknown) => number | null,
): void {
  server.on('connection', (socket) => {
    const first = (data: unknown) => {
      socket.off('message', first)
      const message = initMessage(data)
      if (!message) return
      const expiresAt = expiryOf(message.payload)
      if (expiresAt !== null) sessions.of(socket).expireAt(expiresAt)
    }
    socket.on('message', first)
  })
}

/** A connection_init message, or null for any other message or one that is not JSON. */
function initMessage(data: unknown): { payload?: unknown } | null {
  try {
    const message: unknown = JSON.parse(String(data))
    if (typeof message !== 'object' || message === null) return null
    return (message as { type?: unknown }).type === 'connection_init' ? message : null
  } catch {
    return null
  }
}
