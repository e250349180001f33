export { Projector, type AppliedListener, type ProjectorOptions, type ProjectorStatus } from './projector.ts'
export { ReadModels, readLive, type ReadModelsOptions } from './read-models.ts'
export {
  defaultReadSchema,
  isUndefinedTable,
  openEmbeddedReadDb,
  openPostgresReadDb,
  openReadDb,
  type PostgresReadDbOptions,
  type ReadDb,
  type ReadDbConfig,
  type SqlClient,
} from './db.ts'
export { modelTables, tablesOf, type ModelTable, type TableNames, type Tables } from './schema.ts'
export { digestVersion, type VersionDigest } from './digest.ts'
export {
  positionAsOf,
  replayAsOf,
  replayInstant,
  type ReplayOptions,
  type ReplayProgress,
  type ReplayStage,
  type ReplayResult,
} from './replay.ts'
export { build, projectorPlugin, type ProjectorPluginOptions } from './app.ts'
export { metricsText } from './metrics.ts'
export { loadProjectorConfig, type ProjectorConfig } from './config.ts'
export { projectorErrors, type ProjectorErrorCode } from './errors.ts'
export type { ProjectorLogger } from './runner.ts'
export type { TimelineFilter } from './queries/timeline.ts'
export type { BureauAccountability, AccountableTask } from './queries/accountability.ts'
export type { Rollup, SectionNode, TargetView } from './queries/plan-tree.ts'
export type { TaskView } from './queries/views.ts'
// For readers that batch their own lookups over the live tables (the gateway's loaders).
export { taskColumns, taskView, type TaskRow } from './queries/views.ts'
