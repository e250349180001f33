import { GraphQLError, OperationTypeNode, type ValidationRule } from 'graphql'
import { gatewayErrors } from '../errors.ts'

/**
 * Refuses a subscription in a document sent over HTTP: subscriptions are served over WebSocket.
 * Any subscription in the document is refused, whichever operation the request names, since
 * mercurius caches a document's validation by its text alone.
 */
export const noSubscriptionOverHttpRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (node.operation !== OperationTypeNode.SUBSCRIPTION) return
    const { message } = gatewayErrors.definitions.SUBSCRIPTION_OVER_HTTP
    context.reportError(
      new GraphQLError(message, { nodes: [node], extensions: { code: 'SUBSCRIPTION_OVER_HTTP' } }),
    )
  },
})
