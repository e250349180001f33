export { loadConfig, logLevels, minJwtSecretLength, nodeEnvs } from './config.ts'
export type { Config, LoadConfigOptions, LogLevel, NodeEnv } from './config.ts'
export { ConfigError, type ConfigProblem } from './config-error.ts'
export { parseEnv } from './env-file.ts'
export {
  bodyLimit,
  documentBodyLimit,
  createApp,
  genReqId,
  redactedPaths,
  requestIdHeader,
  type CreateAppOptions,
} from './app.ts'
export { errorHandler, notFoundHandler, retryAfterSeconds } from './error-handler.ts'
export { codeForStatus, kitErrors, type ErrorBody, type KitErrorCode } from './errors.ts'
export { base64Bytes } from './base64.ts'
export { describeValidation, type ValidationProblem } from './validation.ts'
export { actorFromClaims, authenticate, authPlugin, requireRole, type AuthPluginOptions } from './auth.ts'
export { roles, signHs256, signToken, type Role, type TokenClaims, type TokenRequest } from './token.ts'
export {
  asStored,
  conflictAttempts,
  executeCommand,
  scopedKey,
  type CommandResult,
  type ExecuteCommandOptions,
} from './command.ts'
export {
  canonicalJson,
  commandContext,
  expectedRevisionFrom,
  idempotencyFrom,
  type CommandContext,
  type CommandContextOptions,
} from './request.ts'
export {
  docsPlugin,
  healthPlugin,
  type DocsPluginOptions,
  type HealthCheck,
  type HealthPluginOptions,
} from './plugins.ts'
export { runServer, shutdownDelayMs } from './server.ts'
export { startProcess, startupProblem } from './startup.ts'
export { foldStream } from './fold-stream.ts'
export { ResumingSubscription, type ResumingSubscriptionOptions } from './resuming-subscription.ts'
// Route schemas: TypeBox builds the JSON Schema and the handler's static types from one source.
export { Type, type Static, type TSchema, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
export {
  commandBody,
  commandData,
  commandFields,
  commandResult,
  emptyBodyAsObject,
  readAggregate,
  runCommand,
  type TypedApp,
} from './routes.ts'
