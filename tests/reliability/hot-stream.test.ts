import t from 'tap'
import { uuidv7, WrongExpectedRevision, type RecordedEvent } from '@coord/eventstore'
import { planId, seedHistory, taskStream } from '../bench/gateway/seed.ts'
import { bearer, platformOnPostgres } from './support/platform.ts'
import { long, record } from './support/results.ts'

const writers = 50
const rounds = long ? 40 : 8

async function revisions(events: AsyncIterable<RecordedEvent>): Promise<number[]> {
  const seen: number[] = []
  for await (const event of events) seen.push(event.revision)
  return seen
}

t.test(
  '50 writers on one task stream: one wins each round, the others are told, nothing is lost or doubled',
  async (t) => {
    const { store, url } = await platformOnPostgres(t)
    await seedHistory(store, 1, 4)
    const stream = taskStream(0)
    const lead = 'bench-b0'
    let failures = 0

    // On the store: every writer appends at the revision it read; exactly one may succeed.
    let storeWins = 0
    let storeLosers = 0
    for (let round = 0; round < rounds; round++) {
      const revision = (await revisions(store.readStream(stream))).length
      const outcomes = await Promise.allSettled(
        Array.from({ length: writers }, (_, w) =>
          store.appendToStream(
            stream,
            [
              {
                id: uuidv7(),
                type: 'ProgressReported',
                data: { bureauId: lead, percent: 10, narrative: `round ${round} writer ${w}`, evidence: [] },
                metadata: {
                  actor: { role: 'bureau', bureauId: lead, user: 'x' },
                  correlationId: uuidv7(),
                  causationId: null,
                  occurredAt: new Date().toISOString(),
                },
              },
            ],
            { expectedRevision: revision },
          ),
        ),
      )
      const won = outcomes.filter((o) => o.status === 'fulfilled').length
      const lost = outcomes.filter(
        (o) => o.status === 'rejected' && o.reason instanceof WrongExpectedRevision,
      ).length
      if (won !== 1 || lost !== writers - 1) failures++
      storeWins += won
      storeLosers += lost
    }
    t.equal(storeWins, rounds, 'one append won each round')
    t.equal(storeLosers, rounds * (writers - 1), 'every other writer got WrongExpectedRevision')

    // Over HTTP: progress reports with If-Match at the revision read; one 200, the rest 409.
    let httpWins = 0
    let conflicts = 0
    let other = 0
    const acknowledged: number[] = []
    for (let round = 0; round < rounds; round++) {
      const revision = (await revisions(store.readStream(stream))).length
      const answers = await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          const response = await fetch(
            `${url}/planning/plans/${planId}/tasks/${encodeURIComponent('三.(二).0')}/progress`,
            {
              method: 'POST',
              headers: {
                authorization: bearer({ role: 'bureau', bureauId: lead, user: `clerk-${w}` }),
                'content-type': 'application/json',
                'if-match': `"${revision}"`,
              },
              body: JSON.stringify({ percent: 20, narrative: `HTTP round ${round} writer ${w}` }),
            },
          )
          const body = (await response.json()) as { revision?: number }
          return { status: response.status, revision: body.revision }
        }),
      )
      for (const answer of answers) {
        if (answer.status === 200) {
          httpWins++
          acknowledged.push(answer.revision ?? -1)
        } else if (answer.status === 409) conflicts++
        else other++
      }
      if (answers.filter((a) => a.status === 200).length !== 1) failures++
    }
    t.equal(httpWins, rounds, 'one report accepted each round')
    t.equal(conflicts, rounds * (writers - 1), 'every other writer got 409')
    t.equal(other, 0, 'no other answer')

    const all = await revisions(store.readStream(stream))
    t.same(
      all,
      all.map((_, i) => i + 1),
      'the stream has dense revisions, none twice',
    )
    t.equal(all.length, 4 + rounds * 2, 'the seed, one store append and one report per round')
    t.ok(
      acknowledged.every((revision) => all.includes(revision)),
      'every acknowledged report is in the stream',
    )
    record({
      row: 'Hot stream: 50 writers on one task, store and HTTP',
      figure: `${rounds * 2} rounds: ${storeWins + httpWins} wins, ${storeLosers} WrongExpectedRevision, ${conflicts} × 409, 0 duplicate revisions`,
      failures: failures + other,
    })
  },
)
