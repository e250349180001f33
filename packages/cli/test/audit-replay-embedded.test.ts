import { replayAdapters, replayFlow } from './audit-replay-flow.ts'

replayFlow(replayAdapters.embedded)
