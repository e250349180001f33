import { replayAdapters, replayFlow } from './audit-replay-flow.ts'
import { replayRecoveryFlow } from './audit-replay-recovery.ts'

replayFlow(replayAdapters.embedded)
replayRecoveryFlow(replayAdapters.embedded)
