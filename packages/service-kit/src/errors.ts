import { errorCatalogue } from '@coord/domain'

/**
 * The error codes the service kit answers with. Every code is documented in `docs/errors.md`;
 * test/errors-catalogue.test.ts keeps the two in sync.
 */
export const kitErrors = errorCatalogue({
  BAD_REQUEST: { status: 400, message: 'the request is malformed' },
  UNAUTHORIZED: { status: 401, message: 'a valid bearer token is required' },
  FORBIDDEN: { status: 403, message: 'your role may not do this' },
  NOT_FOUND: { status: 404, message: 'not found' },
  REVISION_CONFLICT: { status: 409, message: 'the resource was changed meanwhile; reload it and retry' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'the request body is larger than 1 MiB' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'the request body must be application/json' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    message: 'this Idempotency-Key was already used for a different request',
  },
  INTERNAL: { status: 500, message: 'internal error' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'the service cannot reach its storage; retry later' },
})

export type KitErrorCode = keyof typeof kitErrors.definitions

/** The body every error response has: a stable code, a readable message, and code-specific fields. */
export interface ErrorBody {
  error: string
  message: string
  [field: string]: unknown
}

/** The kit's code for an HTTP status (other 4xx fall back to BAD_REQUEST, 5xx to INTERNAL). */
export function codeForStatus(status: number): KitErrorCode {
  const code = (Object.keys(kitErrors.definitions) as KitErrorCode[]).find(
    (c) => kitErrors.definitions[c].status === status,
  )
  return code ?? (status < 500 ? 'BAD_REQUEST' : 'INTERNAL')
}
