import { createPublicKey } from 'node:crypto'
import t from 'tap'
import {
  fromHex,
  verifyConsistency,
  verifyInclusion,
  verifyTreeHeadSignature,
  type SignedTreeHead,
} from '@coord/audit'
import { loadConfig, signToken, type Role } from '@coord/service-kit'
import { build } from '../src/index.ts'
import { appendEvents, setup } from './helpers.ts'

/** The fields the routes answer with, loosely: each check below reads the ones its route has. */
interface Answer {
  [field: string]: unknown
  treeSize: number
  rootHash: string
  leafHash: string
  auditPath: string[]
  proof: string[]
  fromRoot: string
  keyId: string
  publicKey: string
  heads: (SignedTreeHead & { seq: number })[]
  error: string
  message: string
}

const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }, { envFile: false })
const as = (role: Role) => ({
  authorization: `Bearer ${signToken(config, { role, user: `${role}-1`, ...(role === 'bureau' ? { bureauId: 'bureau-ip' } : {}) })}`,
})

t.test(
  'over real HTTP: heads, proofs and the key, for every role; signing for planners and auditors',
  async (t) => {
    const { store, notary: make } = await setup(t, 'embedded')
    await appendEvents(store, 30)
    const notary = make()
    const app = await build(config, { notary })
    t.teardown(() => app.close())
    const url = await app.listen({ port: 0, host: '127.0.0.1' })
    await notary.waitFor(30)
    const call = async (method: string, path: string, role: Role | null, body?: unknown) => {
      const response = await fetch(`${url}/audit${path}`, {
        method,
        headers: {
          ...(role ? as(role) : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      })
      return { status: response.status, body: (await response.json()) as Answer }
    }

    t.equal((await call('GET', '/tree-heads/latest', 'auditor')).status, 404, 'no head yet')
    t.equal((await call('POST', '/tree-heads', 'bureau')).status, 403, 'a bureau may not sign')
    t.equal((await call('POST', '/tree-heads', null)).status, 401, 'nobody without a token')
    const signed = await call('POST', '/tree-heads', 'auditor')
    t.equal(signed.status, 201)
    t.equal(signed.body.treeSize, 30)
    t.equal(
      (await call('POST', '/tree-heads', 'planner', {})).status,
      201,
      'the planner may sign, with an empty body',
    )
    t.equal(
      (await call('POST', '/tree-heads', 'planner', { treeSize: 3 })).status,
      400,
      'no fields in the body',
    )

    const key = await call('GET', '/public-key', 'bureau')
    t.equal(key.status, 200)
    const publicKey = createPublicKey(key.body.publicKey)
    const list = await call('GET', '/tree-heads', 'supervisor')
    t.equal(list.body.heads.length, 2)
    t.equal(list.body.keyId, key.body.keyId)
    for (const head of list.body.heads)
      t.ok(verifyTreeHeadSignature(head, publicKey), `head ${head.seq} verifies`)
    t.same((await call('GET', '/tree-heads/latest', 'secretariat')).body, list.body.heads[1])

    const root = fromHex(signed.body.rootHash) as Uint8Array
    const inclusion = await call('GET', '/proofs/inclusion?position=17&treeSize=30', 'bureau')
    t.equal(inclusion.status, 200)
    const path = inclusion.body.auditPath.map((h) => fromHex(h) as Uint8Array)
    t.ok(verifyInclusion(16, 30, fromHex(inclusion.body.leafHash) as Uint8Array, path, root))
    const consistency = await call('GET', '/proofs/consistency?from=12&to=30', 'auditor')
    const proof = consistency.body.proof.map((h) => fromHex(h) as Uint8Array)
    t.ok(verifyConsistency(12, 30, proof, fromHex(consistency.body.fromRoot) as Uint8Array, root))

    for (const [path, code] of [
      ['/proofs/inclusion?position=31&treeSize=30', 'INVALID_POSITION'],
      ['/proofs/inclusion?position=1&treeSize=31', 'INVALID_TREE_SIZE'],
      ['/proofs/inclusion?position=1&treeSize=0', 'BAD_REQUEST'],
      ['/proofs/inclusion?position=abc&treeSize=3', 'BAD_REQUEST'],
      ['/proofs/inclusion?treeSize=3', 'BAD_REQUEST'],
      ['/proofs/inclusion?position=1&treeSize=3&extra=1', 'BAD_REQUEST'],
      ['/proofs/consistency?from=0&to=3', 'BAD_REQUEST'],
      ['/proofs/consistency?from=5&to=3', 'INVALID_RANGE'],
      ['/proofs/consistency?from=5&to=99', 'INVALID_RANGE'],
    ] as const) {
      const answer = await call('GET', path, 'auditor')
      t.equal(answer.status, 400, path)
      t.equal(answer.body.error, code, `${path}: ${answer.body.message}`)
    }
    t.equal((await call('GET', '/tree-heads', null)).status, 401, 'reading needs a token too')
    t.equal(
      (await call('GET', '/tree-heads', 'auditor')).body.heads.length,
      2,
      'refused requests signed nothing',
    )
  },
)

t.test(
  'a tree head is signed on request for no body or {} alone: null, [] and every other body are refused and sign nothing',
  async (t) => {
    const { store, notary: make } = await setup(t, 'embedded')
    await appendEvents(store, 5)
    const notary = make()
    const app = await build(config, { notary })
    t.teardown(() => app.close())
    const url = await app.listen({ port: 0, host: '127.0.0.1' })
    await notary.waitFor(5)
    // A string body goes with the content type given; bytes go with no content type at all.
    const sign = async (contentType: string | null, body?: string) => {
      const response = await fetch(`${url}/audit/tree-heads`, {
        method: 'POST',
        headers: { ...as('auditor'), ...(contentType !== null ? { 'content-type': contentType } : {}) },
        ...(body === undefined ? {} : { body: contentType === null ? new TextEncoder().encode(body) : body }),
      })
      return { status: response.status, body: (await response.json()) as Answer }
    }
    const heads = async () => {
      const response = await fetch(`${url}/audit/tree-heads`, { headers: as('auditor') })
      return ((await response.json()) as Answer).heads.length
    }

    for (const [contentType, body, status, error, message] of [
      ['application/json', 'null', 400, 'BAD_REQUEST', 'body must be object'],
      ['application/json', '[]', 400, 'BAD_REQUEST', 'body must be object'],
      ['application/json', '[{}]', 400, 'BAD_REQUEST', 'body must be object'],
      ['application/json', '"{}"', 400, 'BAD_REQUEST', 'body must be object'],
      ['application/json', '""', 400, 'BAD_REQUEST', 'body must be object'],
      ['application/json', '0', 400, 'BAD_REQUEST', 'body must be object'],
      ['application/json', 'false', 400, 'BAD_REQUEST', 'body must be object'],
      ['application/json', '{"treeSize":3}', 400, 'BAD_REQUEST', "unknown field 'treeSize'"],
      ['application/json', '{"reason":"schedule"}', 400, 'BAD_REQUEST', "unknown field 'reason'"],
      ['application/json', '', 400, 'BAD_REQUEST', /empty/],
      ['application/json', '{', 400, 'BAD_REQUEST', /JSON/],
      ['text/plain', '{}', 415, 'UNSUPPORTED_MEDIA_TYPE', 'the request body must be application/json'],
      ['text/plain', '', 415, 'UNSUPPORTED_MEDIA_TYPE', 'the request body must be application/json'],
      ['application/x-www-form-urlencoded', 'a=1', 415, 'UNSUPPORTED_MEDIA_TYPE', /application\/json/],
      [null, '{}', 415, 'UNSUPPORTED_MEDIA_TYPE', /application\/json/],
    ] as const) {
      const what = `${contentType ?? 'no content type'} ${JSON.stringify(body)}`
      const answer = await sign(contentType, body)
      t.equal(answer.status, status, `${what}: ${status}`)
      t.match(answer.body, { error, message }, `${what}: ${error}, ${answer.body.message}`)
      t.equal(await heads(), 0, `${what}: no head signed`)
    }

    for (const [contentType, body, what] of [
      [null, undefined, 'no body'],
      ['application/json', '{}', '{}'],
      ['application/json; charset=utf-8', '{ }', '{} with a charset'],
    ] as const) {
      const before = await heads()
      const answer = await sign(contentType, body)
      t.equal(answer.status, 201, `${what}: signed`)
      t.equal(answer.body.treeSize, 5, `${what}: over the whole log`)
      t.equal(answer.body.reason, 'request')
      t.equal(await heads(), before + 1, `${what}: one head more`)
    }
  },
)
