import { DomainError } from '@coord/domain'
import { EventStoreError, WrongExpectedRevision } from '@coord/eventstore'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { codeForStatus, kitErrors, type ErrorBody, type KitErrorCode } from './errors.ts'
import { describeValidation } from './validation.ts'

/** Seconds a client should wait before retrying when the store does not answer. */
export const retryAfterSeconds = 5

interface Answer {
  status: number
  body: ErrorBody
  headers?: Record<string, string>
}

/**
 * The one place errors become HTTP answers. Known errors keep their meaning; anything else is a
 * 500 whose message stays in the log, never in the response.
 */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const answer = answerFor(error)
  if (answer.status === 401) answer.headers = { 'www-authenticate': 'Bearer' }
  if (answer.status >= 500) {
    const level = answer.status === 503 ? 'warn' : 'error'
    request.log[level]({ err: error }, 'request failed')
  } else {
    request.log.info(
      { statusCode: answer.status, code: answer.body.error },
      `request rejected: ${answer.body.message}`,
    )
  }
  void reply
    .code(answer.status)
    .headers(answer.headers ?? {})
    .send(answer.body)
}

/**
 * The router's own refusals, before any route: a path that does not decode (`%ZZ`) and a path
 * parameter past the router's length limit. Both are the client's malformed URL: 400 BAD_REQUEST,
 * in the same shape as every other error (the router would answer its own shape, and a 414).
 */
export function frameworkErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') error.statusCode = 400
  errorHandler(error, request, reply)
}

/** `{ error: 'NOT_FOUND' }` for routes that do not exist. */
export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  void reply.code(404).send(body('NOT_FOUND', `no route for ${request.method} ${request.url}`))
}

function answerFor(error: FastifyError): Answer {
  if (Array.isArray(error?.validation)) {
    const { message, field } = describeValidation(error.validation, error.validationContext)
    return { status: 400, body: { error: 'BAD_REQUEST', message, field } }
  }
  if (error instanceof EventStoreError) return storeAnswer(error)
  if (error instanceof DomainError) {
    const field = error.details?.field
    const answer: Answer = {
      status: error.status,
      body: {
        error: error.code,
        message: error.message,
        details: error.details,
        ...(typeof field === 'string' ? { field } : {}),
      },
    }
    return error.code === 'SERVICE_UNAVAILABLE' ? unavailable(answer.body) : answer
  }
  const code = typeof error?.code === 'string' ? error.code : ''
  if (code.startsWith('FST_JWT_') || code.startsWith('FAST_JWT_')) {
    return { status: 401, body: kitBody('UNAUTHORIZED', error.message) }
  }
  const status = error?.statusCode
  if (code.startsWith('FST_') && typeof status === 'number' && status >= 400 && status < 500) {
    const kitCode = codeForStatus(status)
    const message = status === 413 || status === 415 ? kitErrors.definitions[kitCode].message : error.message
    return { status, body: body(kitCode, message) }
  }
  return { status: 500, body: kitBody('INTERNAL') }
}

function storeAnswer(error: EventStoreError): Answer {
  if (error instanceof WrongExpectedRevision) {
    return {
      status: 409,
      body: { ...kitBody('REVISION_CONFLICT'), expected: error.expected, actual: error.actual },
    }
  }
  switch (error.code) {
    case 'WRONG_EXPECTED_REVISION':
      return { status: 409, body: kitBody('REVISION_CONFLICT') }
    case 'IDEMPOTENCY_KEY_REUSED':
      return { status: 422, body: kitBody('IDEMPOTENCY_KEY_REUSED') }
    case 'STORE_UNAVAILABLE':
    case 'STORE_CLOSED':
      return unavailable(kitBody('SERVICE_UNAVAILABLE'))
    default:
      // The rest (bad stream id, malformed or oversized event, bad option) describe the input.
      return { status: 400, body: body('BAD_REQUEST', error.message) }
  }
}

function unavailable(errorBody: ErrorBody): Answer {
  return { status: 503, body: errorBody, headers: { 'retry-after': String(retryAfterSeconds) } }
}

function kitBody(code: KitErrorCode, detail?: string): ErrorBody {
  const { message } = kitErrors.definitions[code]
  return body(code, detail ? `${message}: ${detail}` : message)
}

function body(code: string, message: string): ErrorBody {
  return { error: code, message }
}
