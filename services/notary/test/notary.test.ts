import t from 'tap'
import {
  MerkleTree,
  fromHex,
  leafBytes,
  toHex,
  verifyConsistency,
  verifyInclusion,
  verifyTreeHeadSignature,
} from '@coord/audit'
import { createPublicKey } from 'node:crypto'
import { adapters, appendEvents, setup } from './helpers.ts'

const bytes = (hashes: string[]) => hashes.map((h) => fromHex(h) as Uint8Array)

for (const adapter of adapters) {
  t.test(`${adapter}: every event becomes a leaf in position order and every proof verifies`, async (t) => {
    const { store, notary: make, key } = await setup(t, adapter)
    await appendEvents(store, 120)
    const notary = make({ batchSize: 50 })
    await notary.start()
    await appendEvents(store, 37, 120)
    await notary.waitFor(157)
    const expected = new MerkleTree()
    for await (const event of store.readAll()) expected.append(leafBytes(event))
    t.equal(expected.size, 157)

    const head = await notary.signTreeHead()
    t.match(head, { treeSize: 157, rootHash: toHex(expected.root()), reason: 'request', yearEnd: null })
    t.ok(verifyTreeHeadSignature(head, createPublicKey(key)), 'the head carries a valid signature')
    t.same(await notary.latestTreeHead(), head)
    t.same(await notary.status(), {
      treeSize: 157,
      checkpoint: 157,
      head: 157,
      lagEvents: 0,
      latestHead: 157,
      error: null,
    })

    for (const [position, size] of [
      [1, 1],
      [1, 157],
      [157, 157],
      [64, 64],
      [65, 100],
      [99, 130],
    ] as const) {
      const proof = await notary.inclusionProof(position, size)
      t.equal(proof.leafHash, toHex(expected.leafHash(position - 1)), `leaf hash of ${position}`)
      t.equal(proof.rootHash, toHex(expected.root(size)), `root of ${size}`)
      const ok = verifyInclusion(
        position - 1,
        size,
        expected.leafHash(position - 1),
        bytes(proof.auditPath),
        expected.root(size),
      )
      t.ok(ok, `position ${position} in ${size}`)
    }
    for (const [from, to] of [
      [1, 157],
      [64, 157],
      [100, 130],
      [157, 157],
    ] as const) {
      const proof = await notary.consistencyProof(from, to)
      t.same(
        proof.proof,
        expected.consistencyProof(from, to).map(toHex),
        `${from} -> ${to} as computed in memory`,
      )
      t.ok(
        verifyConsistency(from, to, bytes(proof.proof), expected.root(from), expected.root(to)),
        `${from} -> ${to}`,
      )
    }
  })

  t.test(`${adapter}: a restarted notary resumes after its checkpoint and keeps its heads`, async (t) => {
    const { store, notary: make } = await setup(t, adapter)
    await appendEvents(store, 40)
    const first = make()
    await first.start()
    await first.waitFor(40)
    const early = await first.signTreeHead()
    await first.stop()
    await appendEvents(store, 25, 40)
    const second = make()
    await second.start()
    await second.waitFor(65)
    const late = await second.signTreeHead()
    t.same(
      (await second.treeHeads()).map((h) => [h.seq, h.treeSize]),
      [
        [early.seq, 40],
        [late.seq, 65],
      ],
    )
    const expected = new MerkleTree()
    for await (const event of store.readAll()) expected.append(leafBytes(event))
    t.equal(late.rootHash, toHex(expected.root()), 'no event was skipped or logged twice across the restart')
    const consistency = await second.consistencyProof(40, 65)
    t.ok(
      verifyConsistency(
        40,
        65,
        bytes(consistency.proof),
        fromHex(early.rootHash) as Uint8Array,
        expected.root(),
      ),
      'the head before the restart is a prefix of the one after',
    )
  })

  t.test(
    `${adapter}: proofs for sizes and positions outside the log are refused with their codes`,
    async (t) => {
      const { store, notary: make } = await setup(t, adapter)
      await appendEvents(store, 10)
      const notary = make()
      await notary.start()
      await notary.waitFor(10)
      await t.rejects(notary.inclusionProof(1, 0), { code: 'INVALID_TREE_SIZE', status: 400 })
      await t.rejects(notary.inclusionProof(1, 11), { code: 'INVALID_TREE_SIZE' })
      await t.rejects(notary.inclusionProof(6, 5), { code: 'INVALID_POSITION' })
      await t.rejects(notary.inclusionProof(0, 5), { code: 'INVALID_POSITION' })
      await t.rejects(notary.consistencyProof(0, 5), { code: 'INVALID_RANGE' })
      await t.rejects(notary.consistencyProof(6, 5), { code: 'INVALID_RANGE' })
      await t.rejects(notary.consistencyProof(5, 11), { code: 'INVALID_RANGE' })
      await t.rejects(notary.latestTreeHead(), { code: 'NO_TREE_HEAD', status: 404 })
      t.same(await notary.treeHeads(), [], 'nothing was signed by the refused requests')
    },
  )
}

t.test('the schedule signs a head only when the log grew', async (t) => {
  const { store, notary: make } = await setup(t, 'embedded')
  const notary = make()
  await notary.start()
  t.equal(await notary.signScheduled(), null, 'an empty log gets no scheduled head')
  await appendEvents(store, 5)
  await notary.waitFor(5)
  t.match(await notary.signScheduled(), { treeSize: 5, reason: 'schedule' })
  t.equal(await notary.signScheduled(), null, 'no new head while nothing was appended')
  await appendEvents(store, 1, 5)
  await notary.waitFor(6)
  t.match(await notary.signScheduled(), { treeSize: 6, reason: 'schedule' })
})

t.test('a stopped notary refuses to sign', async (t) => {
  const { notary: make } = await setup(t, 'embedded')
  await t.rejects(make().signTreeHead(), { code: 'NOTARY_STOPPED', status: 503 })
})
