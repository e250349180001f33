export {
  build,
  gatewayBodyLimit,
  gatewayPlugin,
  gatewaySettings,
  type GatewayDeps,
  type GatewayOptions,
} from './app.ts'
export { loadGatewayConfig, type GatewayConfig } from './config.ts'
export { gatewayErrors, type GatewayErrorCode } from './errors.ts'
export { formatErrors, type FormattedError } from './error-formatter.ts'
export { defaultLimits, limitRules, type GatewayLimits } from './limits.ts'
export { accessRules, type AccessRules, type Policy } from './access/rules.ts'
export { concerns, enforceAccess, type GatewayContext } from './access/enforce.ts'
export { gatewaySchema, schemaText } from './schema/build.ts'
export { createLoaders, type Loaders } from './loaders/loaders.ts'
export { TaskEventFeed, taskEventsTopic, type TaskEventPayload } from './subscriptions/feed.ts'
export { TopicPubSub } from './subscriptions/pubsub.ts'
export { ReadModelFollower, type FollowerOptions } from './subscriptions/follower.ts'
export type { ProjectionSource } from './subscriptions/source.ts'
export { waitForHeader } from './wait-for.ts'
export { annualReviewQueries, type BureauAnnualReviewView, type HistorySource } from './annual-review.ts'
export {
  auditQueries,
  type AuditSource,
  type ConsistencyProofView,
  type InclusionProofView,
  type TreeHeadView,
} from './audit.ts'
