import { DomainError } from '@coord/domain'
import {
  GraphQLError,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
} from 'graphql'
import { gatewayErrors, type GatewayErrorCode } from './errors.ts'

interface Log {
  info(details: object, message: string): void
  error(details: object, message: string): void
}

interface FormatterContext {
  reply?: { log: Log }
  app?: { log: Log }
}

/** An error as the client receives it. */
export type FormattedError = GraphQLFormattedError & {
  extensions: { code: string; [detail: string]: unknown }
}

interface Described {
  status: number
  body: FormattedError
}

/**
 * The one place errors become answers: every error gets a stable `extensions.code`. Domain and
 * read-model errors keep their code and status; documents the schema or the limits refuse, bad
 * variables and HTTP mistakes are 4xx; anything else is a 500 `INTERNAL` whose cause goes to the
 * log, never to the client. The HTTP status is the worst error's when no data came back, else 200
 * (the data and the field errors are both in the body).
 */
export function formatErrors(
  execution: ExecutionResult & { statusCode?: number },
  context: FormatterContext,
): { statusCode: number; response: FormattedExecutionResult & { errors: FormattedError[] } } {
  const log = context.reply?.log ?? context.app?.log
  const described = (execution.errors ?? []).flatMap(expand).map(describe)
  for (const { status, body } of described) {
    if (status >= 500)
      log?.error({ err: body.extensions.cause ?? body }, `GraphQL request failed: ${body.message}`)
    else log?.info({ code: body.extensions.code, path: body.path }, `GraphQL error: ${body.message}`)
  }
  const errors = described.map(({ body }) => {
    const { cause: _cause, ...extensions } = body.extensions
    return { ...body, extensions }
  })
  const data = execution.data ?? null
  const statuses = described.map((entry) => entry.status)
  const worst = statuses.find((status) => status >= 500) ?? statuses[0] ?? 200
  return { statusCode: data === null ? worst : 200, response: { data, errors } }
}

/** mercurius wraps parse and validation failures in one error carrying the list. */
function expand(error: GraphQLError): GraphQLError[] {
  const inner = (error.originalError as { errors?: unknown } | undefined)?.errors
  // Other wrappers (a mutation over GET) carry plain errors: their own status says more.
  if (Array.isArray(inner) && inner.length > 0 && inner.every((item) => item instanceof GraphQLError)) {
    return inner
  }
  return [error]
}

function describe(error: GraphQLError): Described {
  const original = error.originalError
  const where = {
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
  }
  if (original instanceof DomainError) {
    return {
      status: original.status,
      body: {
        message: original.message,
        ...where,
        extensions: { code: original.code, ...(original.details ?? {}) },
      },
    }
  }
  if (!original) return documentError(error, where)
  const status = (original as { statusCode?: unknown }).statusCode
  const code = (original as { code?: unknown }).code
  if (code === 'MER_ERR_GQL_QUERY_DEPTH') return known('QUERY_TOO_DEEP', original.message, where)
  if (typeof status === 'number' && status >= 400 && status < 500)
    return httpError(status, original.message, where)
  // A parse error mercurius passed through as is (the token limit) is still the document's fault,
  // and so is a variable graphql-js could not coerce: its message names the variable.
  if (original instanceof GraphQLError && !original.originalError) return documentError(error, where)
  return {
    status: 500,
    body: {
      message: gatewayErrors.definitions.INTERNAL.message,
      ...where,
      extensions: { code: 'INTERNAL', cause: original },
    },
  }
}

/** Parse, validation and variable errors: no cause behind them but the document. */
function documentError(error: GraphQLError, where: Partial<FormattedError>): Described {
  // graphql-jit's errors leave `extensions` undefined where graphql-js always makes an object.
  const extensions = error.extensions as GraphQLError['extensions'] | undefined
  const code = typeof extensions?.code === 'string' ? extensions.code : undefined
  if (code && code in gatewayErrors.definitions) {
    const known = gatewayErrors.definitions[code as GatewayErrorCode]
    return { status: known.status, body: { message: error.message, ...where, extensions: { code } } }
  }
  if (/Document contains more that \d+ tokens/.test(error.message)) {
    return known('QUERY_TOO_LARGE', error.message, where)
  }
  return known('BAD_USER_INPUT', error.message, where)
}

function httpError(status: number, detail: string, where: Partial<FormattedError>): Described {
  const code: GatewayErrorCode =
    status === 413
      ? 'PAYLOAD_TOO_LARGE'
      : status === 415
        ? 'UNSUPPORTED_MEDIA_TYPE'
        : status === 405
          ? 'METHOD_NOT_ALLOWED'
          : status === 401
            ? 'UNAUTHENTICATED'
            : 'BAD_USER_INPUT'
  const message = code === 'BAD_USER_INPUT' ? detail : gatewayErrors.definitions[code].message
  return { status: gatewayErrors.definitions[code].status, body: { message, ...where, extensions: { code } } }
}

function known(code: GatewayErrorCode, detail: string, where: Partial<FormattedError>): Described {
  const { status } = gatewayErrors.definitions[code]
  return { status, body: { message: detail, ...where, extensions: { code } } }
}
