import { OperationTypeNode, getOperationAST, parse } from 'graphql'
import type { SessionSocket, SocketSessions } from './session.ts'

/** The part of a `ws` socket the check wraps: its subprotocol and the `emit` delivering its messages. */
export interface MessageSocket extends SessionSocket {
  readonly protocol: string
  emit(event: string | symbol, ...args: unknown[]): boolean
}

/** The part of the WebSocket server (`app.websocketServer`) the check watches: new connections. */
export interface MessageSource {
  on(event: 'connection', listener: (socket: MessageSocket) => void): unknown
}

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const isOptionalObject = (value: unknown) => value === undefined || value === null || isObject(value)

/**
 * Holds every message of a graphql-transport-ws socket to the protocol before mercurius reads
 * it. mercurius destructures what it is sent: a `null`, or a subscribe whose payload is missing
 * or whose query is not text, threw inside it (a server error in the log, the socket dropped
 * without a close frame) or answered with a JavaScript message. As the protocol says, an invalid
 * message now closes the socket with 4400 and the reason.
 *
 * A complete for an id with no subscription is ignored. mercurius hands its onSubscriptionEnd
 * hooks the context of the last subscription it started, null before the first, so no complete
 * is passed on before a subscribe that mercurius will start (one after the connection_init, whose
 * document is a subscription). Messages are checked as they arrive and mercurius works through
 * them later, in order: this is told from the messages, not from mercurius's state.
 *
 * Wrapping the socket's `emit` at the connection is the one way to keep a message from the
 * listener mercurius adds after it. Sockets of the older graphql-ws protocol are left as they are.
 */
export function checkMessages(server: MessageSource, sessions: SocketSessions): void {
  server.on('connection', (socket) => {
    if (socket.protocol !== 'graphql-transport-ws') return
    const emit = socket.emit.bind(socket)
    let initialised = false
    let started = false
    let refused = false
    socket.emit = (event, ...args) => {
      if (event !== 'message') return emit(event, ...args)
      // Nothing sent after an invalid message is read: the socket is closing.
      if (refused) return false
      const message = parsed(args[0])
      const problem = problemOf(message)
      if (problem !== null) {
        refused = true
        sessions.of(socket).closeInvalid(problem)
        return false
      }
      const { type } = message as Json
      if (type === 'connection_init') initialised = true
      if (type === 'complete' && !started) return false
      if (type === 'subscribe' && initialised && !started) started = starts(message as Json)
      return emit(event, ...args)
    }
  })
}

function parsed(data: unknown): unknown {
  try {
    return JSON.parse(String(data))
  } catch {
    return undefined
  }
}

/** Why a message breaks graphql-transport-ws (a close reason), or null for a valid one. */
function problemOf(message: unknown): string | null {
  if (!isObject(message)) return 'Invalid message: a message must be a JSON object'
  const { type, id, payload } = message
  switch (type) {
    case 'connection_init':
    case 'ping':
    case 'pong':
      return isOptionalObject(payload) ? null : `Invalid message: the payload of ${type} must be an object`
    case 'subscribe':
      return idProblem(id, type) ?? subscribeProblem(payload)
    case 'complete':
      return idProblem(id, type)
    default:
      return 'Invalid message: type must be connection_init, ping, pong, subscribe or complete'
  }
}

function idProblem(id: unknown, type: string): string | null {
  return typeof id === 'string' && id !== ''
    ? null
    : `Invalid message: ${type} needs an id (a non-empty string)`
}

function subscribeProblem(payload: unknown): string | null {
  if (!isObject(payload)) return 'Invalid message: the payload of subscribe must be an object'
  if (typeof payload.query !== 'string')
    return 'Invalid message: the query must be a string (the document as text)'
  if (!isOptionalObject(payload.variables)) return 'Invalid message: variables must be an object'
  const { operationName } = payload
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    return 'Invalid message: operationName must be a string'
  }
  return isOptionalObject(payload.extensions) ? null : 'Invalid message: extensions must be an object'
}

/**
 * Whether mercurius will start this subscribe, and so hold a context from then on: its document
 * parses to a subscription, and no extension of mercurius's own makes it wait first.
 */
function starts(message: Json): boolean {
  const { extensions, payload } = message as { extensions?: unknown; payload: Json }
  if (Array.isArray(extensions) && extensions.length > 0) return false
  try {
    const operationName = typeof payload.operationName === 'string' ? payload.operationName : undefined
    return (
      getOperationAST(parse(String(payload.query)), operationName)?.operation ===
      OperationTypeNode.SUBSCRIPTION
    )
  } catch {
    return false
  }
}
