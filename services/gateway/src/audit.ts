import { gatewayErrors } from './errors.ts'

/** A signed tree head of the notary's Merkle log, as services/notary keeps it. */
export interface TreeHeadView {
  seq: number
  reason: string
  yearEnd: number | null
  treeSize: number
  rootHash: string
  timestamp: string
  keyId: string
  signature: string
}

export interface InclusionProofView {
  position: number
  leafIndex: number
  treeSize: number
  leafHash: string
  rootHash: string
  auditPath: string[]
}

export interface ConsistencyProofView {
  from: number
  to: number
  fromRoot: string
  toRoot: string
  proof: string[]
}

/**
 * What the gateway serves of the audit log: the notary's signed tree heads and proofs
 * (`Notary` of @coord/notary has these methods). Its errors (a position beyond the tree, say)
 * keep their codes and statuses.
 */
export interface AuditSource {
  treeHeads(): Promise<readonly TreeHeadView[]>
  inclusionProof(position: number, treeSize: number): Promise<InclusionProofView>
  consistencyProof(from: number, to: number): Promise<ConsistencyProofView>
}

type Args = Record<string, unknown>

/** The root fields over the audit log; without a source they answer AUDIT_UNAVAILABLE. */
export function auditQueries(audit: AuditSource | undefined) {
  const source = (): AuditSource => {
    if (!audit) throw gatewayErrors.make('AUDIT_UNAVAILABLE')
    return audit
  }
  return {
    treeHeads: async () => [...(await source().treeHeads())],
    latestTreeHead: async () => (await source().treeHeads()).at(-1) ?? null,
    inclusionProof: (_: unknown, args: Args) =>
      source().inclusionProof(Number(args.position), Number(args.treeSize)),
    consistencyProof: (_: unknown, args: Args) =>
      source().consistencyProof(Number(args.from), Number(args.to)),
  }
}
