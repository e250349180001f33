import { errorCatalogue } from '@coord/domain'

/**
 * The gateway's error codes, answered as GraphQL errors with the code in `extensions.code` and
 * the status as the HTTP status when the whole request failed. README.md lists them; a test keeps
 * the two equal. Errors of the read models (`INVALID_QUERY`, `PROJECTION_TIMEOUT`, ...) keep their
 * own codes and statuses (see services/projector/README.md).
 */
export const gatewayErrors = errorCatalogue({
  UNAUTHENTICATED: { status: 401, message: 'a valid bearer token is required' },
  FORBIDDEN: { status: 403, message: 'your role or bureau may not read this' },
  BAD_USER_INPUT: { status: 400, message: 'the GraphQL document or its variables are invalid' },
  QUERY_TOO_DEEP: { status: 400, message: 'the query nests deeper than allowed' },
  QUERY_TOO_COSTLY: { status: 400, message: 'the query would cost more than allowed' },
  TOO_MANY_ALIASES: { status: 400, message: 'the query has more aliases than allowed' },
  QUERY_TOO_LARGE: { status: 400, message: 'the document has more tokens than allowed' },
  INTROSPECTION_DISABLED: { status: 400, message: 'introspection is disabled in production' },
  BATCHED_QUERIES_NOT_ALLOWED: { status: 400, message: 'send one query per request, not an array' },
  INVALID_WAIT_FOR: {
    status: 400,
    message: 'X-Coord-Wait-For-Position must be a log position (a whole number >= 0)',
  },
  METHOD_NOT_ALLOWED: { status: 405, message: 'only queries may be sent with GET' },
  SUBSCRIPTION_OVER_HTTP: {
    status: 400,
    message: 'subscriptions are served over WebSocket (graphql-transport-ws), not HTTP',
  },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'the request body is larger than the gateway accepts' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'the request body must be application/json or application/graphql',
  },
  AUDIT_UNAVAILABLE: {
    status: 503,
    message: 'this gateway serves no audit log; the platform or the notary (/audit) does',
  },
  REVIEW_UNAVAILABLE: {
    status: 503,
    message: 'this gateway reads no event log; the annual review is served where the event store is',
  },
  INTERNAL: { status: 500, message: 'internal error' },
})

export type GatewayErrorCode = keyof typeof gatewayErrors.definitions
