export {
  Notary,
  type ConsistencyProof,
  type InclusionProof,
  type NotaryLogger,
  type NotaryOptions,
  type NotaryStatus,
} from './notary.ts'
export type { HeadReason, NotaryHead } from './log-tables.ts'
export { build, notaryPlugin, openConfiguredNotary, type NotaryPluginOptions } from './app.ts'
export { auditRoutes } from './routes.ts'
export {
  defaultNotarySchema,
  openEmbeddedNotaryDb,
  openNotaryDb,
  openPostgresNotaryDb,
  type NotaryDb,
  type NotaryDbConfig,
  type PostgresNotaryDbOptions,
  type SqlClient,
} from './db.ts'
export { developmentKeyPath, loadSigningKey } from './key.ts'
export { loadNotaryConfig, type NotaryConfig } from './config.ts'
export { notaryErrors, type NotaryErrorCode } from './errors.ts'
export { cstYear, yearEndInstant } from './year-end.ts'
