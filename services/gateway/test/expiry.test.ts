import t from 'tap'
import { EventEmitter } from 'node:events'
import { closeAtTokenExpiry, type InitSocket } from '../src/subscriptions/expiry.ts'
import { SocketSessions } from '../src/subscriptions/session.ts'

// Which first message arms a connection's expiry, with a socket that records its closes. The
// real WebSocket path is in socket-lifecycle.test.ts.

class FakeSocket extends EventEmitter implements InitSocket {
  readonly closes: [code?: number, reason?: string][] = []
  close(code?: number, reason?: string): void {
    this.closes.push([code, reason])
    this.emit('close')
  }
}

/** A connection whose token `expiryOf` accepts as having expired a moment ago, unless refused. */
function connection(expiryOf: (payload: unknown) => number | null = () => Date.now() - 1) {
  const server = new EventEmitter()
  const seen: unknown[] = []
  closeAtTokenExpiry(server, new SocketSessions(), (payload) => {
    seen.push(payload)
    return expiryOf(payload)
  })
  const socket = new FakeSocket()
  server.emit('connection', socket)
  return { socket, seen }
}

const init = (payload: unknown) => Buffer.from(JSON.stringify({ type: 'connection_init', payload }))

t.test('a connection_init with an accepted token arms the session with its expiry', async (t) => {
  const { socket, seen } = connection()
  socket.emit('message', init({ authorization: 'Bearer x' }))
  t.same(seen, [{ authorization: 'Bearer x' }], 'the payload is what the token is read from')
  t.same(socket.closes, [[4401, 'Unauthorized: the token has expired']], 'an expiry passed closes at once')
  t.equal(socket.listenerCount('message'), 0, 'no longer listening')
})

t.test('a token expiring later closes the socket only then', async (t) => {
  const { socket } = connection(() => Date.now() + 60_000)
  socket.emit('message', init({}))
  t.same(socket.closes, [])
  socket.close(1000, 'done')
  t.same(socket.closes, [[1000, 'done']], 'closed by the client; the timer went with it')
})

t.test('a refused token arms nothing (mercurius refuses the connection itself)', async (t) => {
  const { socket, seen } = connection(() => null)
  socket.emit('message', init({ authorization: 'Bearer forged' }))
  t.equal(seen.length, 1)
  t.same(socket.closes, [])
  t.equal(socket.listenerCount('message'), 0)
})

t.test('only the first message is read: anything else first, or not JSON, arms nothing', async (t) => {
  for (const first of ['{"type":"ping"}', 'not json', '"connection_init"', 'null']) {
    const { socket, seen } = connection()
    socket.emit('message', Buffer.from(first))
    socket.emit('message', init({}))
    t.same(seen, [], `after ${first}, no token is read`)
    t.same(socket.closes, [])
    t.equal(socket.listenerCount('message'), 0)
  }
})
