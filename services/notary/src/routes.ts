import { Type, emptyBodyAsObject, requireRole, type TypedApp } from '@coord/service-kit'
import type { Notary } from './notary.ts'

/** Every role reads the log; the plan office and auditors may ask for a head to be signed. */
const readers = requireRole('planner', 'secretariat', 'supervisor', 'bureau', 'auditor', 'system')
const signers = requireRole('planner', 'auditor')

const hex = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256, lower-case hex' })
const size = (description: string) =>
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description })

export const treeHead = Type.Object({
  seq: Type.Integer(),
  treeSize: Type.Integer(),
  rootHash: hex,
  timestamp: Type.String({ format: 'date-time' }),
  keyId: hex,
  signature: Type.String({ description: 'Ed25519 over the head (see packages/audit), base64' }),
  reason: Type.Union([Type.Literal('schedule'), Type.Literal('request'), Type.Literal('year-end')]),
  yearEnd: Type.Union([Type.Integer(), Type.Null()]),
})

const publicKey = Type.Object({
  algorithm: Type.Literal('Ed25519'),
  keyId: hex,
  publicKey: Type.String({ description: 'SubjectPublicKeyInfo in PEM' }),
})

/** The notary's HTTP routes, mounted under `/audit` by whoever composes the platform. */
export function auditRoutes(app: TypedApp, notary: Notary): void {
  app.get(
    '/tree-heads',
    {
      preValidation: readers,
      schema: {
        tags: ['audit'],
        summary: 'Every signed tree head, oldest first, with the key that verifies them',
        response: { 200: Type.Object({ ...publicKey.properties, heads: Type.Array(treeHead) }) },
      },
    },
    async () => ({ ...notary.publicKey(), heads: await notary.treeHeads() }),
  )

  app.get(
    '/tree-heads/latest',
    {
      preValidation: readers,
      schema: { tags: ['audit'], summary: 'The last signed tree head', response: { 200: treeHead } },
    },
    () => notary.latestTreeHead(),
  )

  app.post(
    '/tree-heads',
    {
      // Signing chooses nothing (the head covers the log as it stands): no body, or `{}`. Null,
      // arrays, other JSON values and fields are a 400 from validation, other content types 415.
      preValidation: [signers, emptyBodyAsObject],
      schema: {
        tags: ['audit'],
        summary: 'Sign a tree head over the log as it stands now (planner, auditor)',
        body: Type.Object(
          {},
          { additionalProperties: false, description: 'no fields; the body may be left out' },
        ),
        response: { 201: treeHead },
      },
    },
    async (_request, reply) => reply.code(201).send(await notary.signTreeHead('request')),
  )

  app.get(
    '/proofs/inclusion',
    {
      preValidation: readers,
      schema: {
        tags: ['audit'],
        summary: 'The audit path of the event at a position in the tree of the first treeSize events',
        querystring: Type.Object(
          { position: size('global position of the event'), treeSize: size('size of the tree (a head)') },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            position: Type.Integer(),
            leafIndex: Type.Integer(),
            treeSize: Type.Integer(),
            leafHash: hex,
            rootHash: hex,
            auditPath: Type.Array(hex),
          }),
        },
      },
    },
    (request) => notary.inclusionProof(request.query.position, request.query.treeSize),
  )

  app.get(
    '/proofs/consistency',
    {
      preValidation: readers,
      schema: {
        tags: ['audit'],
        summary: 'The proof that the tree of `from` events is a prefix of the tree of `to` events',
        querystring: Type.Object(
          { from: size('the earlier tree size'), to: size('the later tree size') },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            from: Type.Integer(),
            to: Type.Integer(),
            fromRoot: hex,
            toRoot: hex,
            proof: Type.Array(hex),
          }),
        },
      },
    },
    (request) => notary.consistencyProof(request.query.from, request.query.to),
  )

  app.get(
    '/public-key',
    {
      preValidation: readers,
      schema: {
        tags: ['audit'],
        summary: 'The Ed25519 key tree heads are signed with',
        response: { 200: publicKey },
      },
    },
    () => notary.publicKey(),
  )
}
