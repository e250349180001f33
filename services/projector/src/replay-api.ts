// `@coord/projector/replay`: what a replay outside the platform needs (the CLI's `coord audit
// replay`), without the HTTP plugin and its server modules, which take seconds to load.
export {
  openEmbeddedReadDb,
  openPostgresReadDb,
  type PostgresReadDbOptions,
  type ReadDb,
  type SqlClient,
} from './db.ts'
export { modelTables, type ModelTable } from './schema.ts'
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
export type { ProjectorLogger } from './runner.ts'
