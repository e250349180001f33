import { adapters, auditFlow } from './audit-flow.ts'

auditFlow(adapters.postgres)
