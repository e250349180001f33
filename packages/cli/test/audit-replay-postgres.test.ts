import { replayAdapters, replayFlow } from './audit-replay-flow.ts'
import { replayRecoveryFlow } from './audit-replay-recovery.ts'

replayFlow(replayAdapters.postgres)
replayRecoveryFlow(replayAdapters.postgres)
