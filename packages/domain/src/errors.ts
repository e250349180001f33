/**
 * A rule of the domain refused a command. `code` is stable (clients and docs rely on it), `status`
 * the HTTP status the edge answers with, `details` what a client needs to correct the request.
 */
export class DomainError extends Error {
  readonly code: string
  readonly status: number
  readonly details: Record<string, unknown> | undefined

  constructor(code: string, message: string, status = 409, details?: Record<string, unknown>) {
    super(message)
    this.name = 'DomainError'
    this.code = code
    this.status = status
    this.details = details
  }
}

export interface ErrorDefinition {
  status: number
  message: string
}

/**
 * A catalogue of a service's error codes. `make(code, detail)` builds the error, so a code
 * cannot be raised without its documented status and message.
 */
export function errorCatalogue<Codes extends string>(definitions: Record<Codes, ErrorDefinition>) {
  return {
    definitions,
    make(code: Codes, detail?: string, details?: Record<string, unknown>): DomainError {
      const { status, message } = definitions[code]
      return new DomainError(code, detail ? `${message}: ${detail}` : message, status, details)
    },
  }
}
