import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { toHex } from './hash.ts'
import { HistoryVerifier, type HistoryReport } from './history.ts'
import { leafText, type LeafEvent } from './leaf.ts'
import { signTreeHead, type SignedTreeHead } from './tree-head.ts'
import { MerkleTree } from './tree.ts'

/**
 * Verifies `lines` (canonical leaves, in position order) against one signed head: the path
 * `coord audit verify` takes for each event (parse, canonical form, position and revision checks,
 * leaf hash, tree), then the head's signature and root.
 */
export function verifyLeavesAgainstHead(
  lines: Iterable<string>,
  head: SignedTreeHead,
  publicKey: KeyObject,
): HistoryReport {
  const verifier = new HistoryVerifier([head], publicKey)
  for (const line of lines) if (verifier.add(line)) break
  return verifier.finish()
}

/** `count` synthetic events shaped like the platform's (a task stream each ten events). */
export function syntheticLeaves(count: number, start = Date.UTC(2026, 0, 1)): string[] {
  const lines: string[] = []
  for (let position = 1; position <= count; position++) {
    const event: LeafEvent = {
      id: `0190a000-0000-7000-8000-${position.toString(16).padStart(12, '0')}`,
      streamId: `task-bench/${Math.ceil(position / 10)}`,
      revision: ((position - 1) % 10) + 1,
      position,
      type: 'ProgressReported',
      schemaVersion: 1,
      data: { bureauId: 'bureau-ip', percent: position % 100, narrative: '已完成阶段性工作' },
      metadata: {
        actor: { role: 'bureau', bureauId: 'bureau-ip', user: 'bench' },
        correlationId: `c-${position}`,
        causationId: null,
        occurredAt: new Date(start + position * 1000).toISOString(),
        recordedAt: new Date(start + position * 1000).toISOString(),
      },
    }
    lines.push(leafText(event))
  }
  return lines
}

export interface VerifyMeasurement {
  events: number
  seconds: number
  eventsPerSecond: number
  report: HistoryReport
}

/**
 * Times `verifyLeavesAgainstHead` on `count` synthetic events against a head signed over them
 * (building the events and signing are not timed). For benchmarks; tests never assert on speed.
 */
export function measureVerify(count = 100_000): VerifyMeasurement {
  const lines = syntheticLeaves(count)
  const tree = new MerkleTree()
  const encoder = new TextEncoder()
  for (const line of lines) tree.append(encoder.encode(line))
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const head = signTreeHead(
    { treeSize: count, rootHash: toHex(tree.root()), timestamp: new Date().toISOString() },
    privateKey,
  )
  const started = performance.now()
  const report = verifyLeavesAgainstHead(lines, head, publicKey)
  const seconds = (performance.now() - started) / 1000
  return { events: count, seconds, eventsPerSecond: count / seconds, report }
}
