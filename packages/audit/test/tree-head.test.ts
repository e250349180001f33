import { generateKeyPairSync } from 'node:crypto'
import t from 'tap'
import {
  MerkleTree,
  keyIdOf,
  signTreeHead,
  toHex,
  treeHeadMessage,
  verifyHeadConsistency,
  verifyTreeHeadSignature,
  type SignedTreeHead,
} from '../src/index.ts'

const { privateKey, publicKey } = generateKeyPairSync('ed25519')
const other = generateKeyPairSync('ed25519')
const tree = new MerkleTree()
for (let i = 0; i < 11; i++) tree.append(Buffer.from(`event ${i}`))
const at = (size: number, timestamp: string) =>
  signTreeHead({ treeSize: size, rootHash: toHex(tree.root(size)), timestamp }, privateKey)

t.test('the signed bytes are the context line and the canonical JSON of the four fields', async (t) => {
  const head = at(3, '2026-12-31T15:59:59.999Z')
  t.equal(head.keyId, keyIdOf(publicKey), 'the key id is the public key’s')
  t.equal(
    Buffer.from(treeHeadMessage(head)).toString('utf8'),
    `coord.audit.tree-head.v1\n{"keyId":"${head.keyId}","rootHash":"${head.rootHash}","timestamp":"2026-12-31T15:59:59.999Z","treeSize":3}`,
  )
  t.ok(verifyTreeHeadSignature(head, publicKey))
})

t.test('a head with any field changed, another key, or a damaged signature does not verify', async (t) => {
  const head = at(5, '2026-06-01T08:00:00.000Z')
  const sig = Buffer.from(head.signature, 'base64')
  sig[10] = (sig[10] as number) ^ 1
  const changed: [string, SignedTreeHead][] = [
    ['treeSize', { ...head, treeSize: 6 }],
    ['rootHash', { ...head, rootHash: toHex(tree.root(6)) }],
    ['timestamp', { ...head, timestamp: '2026-06-01T08:00:00.001Z' }],
    ['keyId', { ...head, keyId: keyIdOf(other.publicKey) }],
    ['signature bit', { ...head, signature: sig.toString('base64') }],
    ['truncated signature', { ...head, signature: head.signature.slice(0, 40) }],
    ['upper-case root', { ...head, rootHash: head.rootHash.toUpperCase() }],
    ['time without milliseconds', { ...head, timestamp: '2026-06-01T08:00:00Z' }],
  ]
  for (const [what, bad] of changed) t.notOk(verifyTreeHeadSignature(bad, publicKey), what)
  t.notOk(verifyTreeHeadSignature(head, other.publicKey), 'another public key')
  const forged = signTreeHead(
    { treeSize: 5, rootHash: head.rootHash, timestamp: head.timestamp },
    other.privateKey,
  )
  t.notOk(verifyTreeHeadSignature({ ...forged, keyId: head.keyId }, publicKey), 'signed by another key')
})

t.test('two heads of one log are consistent; heads of a rewritten log are not', async (t) => {
  const older = at(4, '2026-06-01T08:00:00.000Z')
  const newer = at(11, '2026-06-02T08:00:00.000Z')
  t.ok(verifyHeadConsistency(older, newer, tree.consistencyProof(4, 11), publicKey))
  const rewritten = new MerkleTree()
  for (let i = 0; i < 11; i++) rewritten.append(Buffer.from(i === 2 ? 'rewritten' : `event ${i}`))
  const resigned = signTreeHead(
    { treeSize: 11, rootHash: toHex(rewritten.root()), timestamp: '2026-06-03T08:00:00.000Z' },
    privateKey,
  )
  t.notOk(verifyHeadConsistency(older, resigned, rewritten.consistencyProof(4, 11), publicKey))
  t.notOk(verifyHeadConsistency(older, resigned, tree.consistencyProof(4, 11), publicKey))
  t.notOk(verifyHeadConsistency(older, newer, tree.consistencyProof(4, 11), other.publicKey), 'wrong key')
})

t.test('only Ed25519 private keys sign', async (t) => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
  t.throws(() =>
    signTreeHead(
      { treeSize: 0, rootHash: toHex(tree.root(0)), timestamp: '2026-01-01T00:00:00.000Z' },
      rsa.privateKey,
    ),
  )
  t.throws(() =>
    signTreeHead(
      { treeSize: 0, rootHash: toHex(tree.root(0)), timestamp: '2026-01-01T00:00:00.000Z' },
      publicKey,
    ),
  )
  t.throws(() =>
    signTreeHead(
      { treeSize: -1, rootHash: toHex(tree.root(0)), timestamp: '2026-01-01T00:00:00.000Z' },
      privateKey,
    ),
  )
})
