import { generateKeyPairSync } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { HistoryVerifier, leafText, MerkleTree, signTreeHead, toHex } from '@coord/audit'
import type { EventStore } from '@coord/eventstore'

/**
 * Writes the store's history to `file` as `coord audit export` does (canonical leaves, one a line)
 * and signs a tree head over all of it with a fresh key, as the notary would.
 */
export async function exportAndSign(store: EventStore, file: string) {
  const sink = createWriteStream(file)
  const tree = new MerkleTree()
  const encoder = new TextEncoder()
  for await (const event of store.readAll()) {
    const line = leafText(event)
    tree.append(encoder.encode(line))
    if (!sink.write(`${line}\n`)) await once(sink, 'drain')
  }
  await new Promise<void>((resolve, reject) =>
    sink.end((error?: Error | null) => (error ? reject(error) : resolve())),
  )
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const head = signTreeHead(
    { treeSize: tree.size, rootHash: toHex(tree.root()), timestamp: new Date().toISOString() },
    privateKey,
  )
  return { head, publicKey }
}

/** `coord audit verify`'s path: the export read line by line into a HistoryVerifier. Returns events/s. */
export async function verifyExport(file: string, signed: Awaited<ReturnType<typeof exportAndSign>>) {
  const started = process.hrtime.bigint()
  const verifier = new HistoryVerifier([signed.head], signed.publicKey)
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (verifier.add(line)) break
  }
  const report = verifier.finish()
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (report.problem) throw new Error(`the export does not verify: ${report.problem.message}`)
  return report.events / seconds
}
