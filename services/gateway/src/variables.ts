import type { FastifyRequest } from 'fastify'
import { getOperationAST, getVariableValues, type DocumentNode, type GraphQLSchema } from 'graphql'

/**
 * A preExecution hook refusing bad variables, worded by graphql-js, before every execution.
 * mercurius checks them itself at every run of a document but the one that compiles it with
 * graphql-jit (the second, with `jit: 1`), where graphql-jit coerces them instead: its errors read
 * otherwise and carry no `extensions`. Thrown here as a list behind one error, as mercurius throws
 * its own checks, they reach the formatter the same way at every run.
 */
export function checkVariables(
  schema: GraphQLSchema,
  document: DocumentNode,
  context: unknown,
  variables: Record<string, unknown> | undefined,
): Promise<void> {
  const operation = getOperationAST(document, operationNameOf(context))
  // No operation to run: mercurius says so itself.
  if (!operation) return Promise.resolve()
  const { errors } = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {})
  if (errors) return Promise.reject(new AggregateError(errors, 'the variables are invalid'))
  return Promise.resolve()
}

/** The operation an HTTP request names, in its body or, for a GET, its query string. */
function operationNameOf(context: unknown): string | undefined {
  const request = (context as { reply?: { request: FastifyRequest } }).reply?.request
  const fields = (request?.method === 'GET' ? request.query : request?.body) as
    { operationName?: unknown } | null | undefined
  return typeof fields?.operationName === 'string' ? fields.operationName : undefined
}
