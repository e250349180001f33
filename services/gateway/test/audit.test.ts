import t from 'tap'
import { verifyConsistency, verifyInclusion } from '@coord/audit'
import { recordHistory } from './fixtures/history.ts'
import { gatewayHarness } from './helpers.ts'

const bytes = (hex: string) => Buffer.from(hex, 'hex')

t.test('GraphQL serves the notary’s tree heads and proofs, and the proofs verify', async (t) => {
  const h = await gatewayHarness(t, { notary: true })
  await recordHistory(h.append)
  const head = await h.store.headPosition()
  await h.notary?.waitFor(head)
  const signed = await h.notary?.signTreeHead()
  t.ok(signed, 'a head is signed over the history')

  const heads = await h.query(
    'bureau',
    '{ treeHeads { seq reason treeSize rootHash keyId signature } latestTreeHead { seq treeSize rootHash } }',
  )
  t.equal(heads.status, 200, JSON.stringify(heads.body))
  const data = heads.body.data as {
    treeHeads: { seq: number; treeSize: number; rootHash: string }[]
    latestTreeHead: { seq: number; treeSize: number; rootHash: string }
  }
  t.equal(data.treeHeads.length, 1)
  t.match(data.treeHeads[0], { seq: 1, reason: 'request', treeSize: head, rootHash: signed?.rootHash })
  t.same(
    data.latestTreeHead,
    { seq: 1, treeSize: head, rootHash: signed?.rootHash },
    'any role reads the heads',
  )

  const position = Math.max(1, head - 2)
  const inclusion = await h.query(
    'auditor',
    `query ($position: Int!, $treeSize: Int!) {
      inclusionProof(position: $position, treeSize: $treeSize) { position leafIndex treeSize leafHash rootHash auditPath }
    }`,
    { position, treeSize: head },
  )
  t.equal(inclusion.status, 200, JSON.stringify(inclusion.body))
  const proof = (
    inclusion.body.data as {
      inclusionProof: {
        leafIndex: number
        treeSize: number
        leafHash: string
        rootHash: string
        auditPath: string[]
      }
    }
  ).inclusionProof
  t.equal(proof.rootHash, signed?.rootHash, 'the proof ends at the signed root')
  t.ok(
    verifyInclusion(
      proof.leafIndex,
      proof.treeSize,
      bytes(proof.leafHash),
      proof.auditPath.map(bytes),
      bytes(proof.rootHash),
    ),
    'the inclusion proof verifies (RFC 9162)',
  )

  const consistency = await h.query(
    'auditor',
    `{ consistencyProof(from: ${position}, to: ${head}) { from to fromRoot toRoot proof } }`,
  )
  t.equal(consistency.status, 200, JSON.stringify(consistency.body))
  const c = (
    consistency.body.data as { consistencyProof: { fromRoot: string; toRoot: string; proof: string[] } }
  ).consistencyProof
  t.ok(
    verifyConsistency(position, head, c.proof.map(bytes), bytes(c.fromRoot), bytes(c.toRoot)),
    'the consistency proof verifies (RFC 9162)',
  )

  const beyond = await h.query(
    'auditor',
    `{ inclusionProof(position: ${head + 5}, treeSize: ${head}) { rootHash } }`,
  )
  t.ok(
    beyond.status >= 400 && beyond.status < 500,
    `a position beyond the tree is the client's mistake (${beyond.status})`,
  )
  t.ok(beyond.body.errors?.[0]?.extensions?.code, 'with a code')
  const anonymous = await h.query(null, '{ treeHeads { seq } }')
  t.equal(anonymous.status, 401, 'a token is still needed')
})

t.test('a gateway without a notary says so with AUDIT_UNAVAILABLE', async (t) => {
  const h = await gatewayHarness(t)
  const answer = await h.query('auditor', '{ treeHeads { seq } }')
  t.equal(answer.status, 503)
  t.equal(answer.body.errors?.[0]?.extensions?.code, 'AUDIT_UNAVAILABLE')
})
