import t from 'tap'
import { planId, seedHistory, taskStream } from '../bench/gateway/seed.ts'
import { bearer, platformOnPostgres } from './support/platform.ts'
import { long, record } from './support/results.ts'

const commands = long ? 10_000 : 400
const tasks = 20

t.test('every command sent three times with one Idempotency-Key is recorded exactly once', async (t) => {
  const { store, url } = await platformOnPostgres(t)
  await seedHistory(store, tasks, 4)
  const before = await store.headPosition()
  let mismatched = 0
  let failed = 0
  const send = async (i: number) => {
    const task = i % tasks
    const lead = `bench-b${task}`
    const request = () =>
      fetch(`${url}/planning/plans/${planId}/tasks/${encodeURIComponent(`三.(二).${task}`)}/progress`, {
        method: 'POST',
        headers: {
          authorization: bearer({ role: 'bureau', bureauId: lead, user: `${lead}-clerk` }),
          'content-type': 'application/json',
          'idempotency-key': `retry-${i}`,
        },
        body: JSON.stringify({ percent: (i % 99) + 1, narrative: `第${i}次进展` }),
      }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { position?: number },
      }))
    // The three copies race each other: a client retrying before the first answer came back.
    const answers = await Promise.all([request(), request(), request()])
    const positions = new Set(answers.map((a) => a.body.position))
    if (answers.some((a) => a.status !== 200)) failed++
    else if (positions.size !== 1) mismatched++
  }
  // 16 clients at a time, each sending its commands' three copies at once.
  let next = 0
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < commands) await send(next++)
    }),
  )
  t.equal(failed, 0, 'every copy was answered 200')
  t.equal(mismatched, 0, 'the three copies of each command got the same answer')
  // Every command is a progress report; the deadline watcher (it runs every minute, and the long
  // form lasts longer) records its notices beside them.
  let recorded = 0
  const others = new Map<string, number>()
  for await (const event of store.readAll({ fromPosition: before + 1 })) {
    if (event.type === 'ProgressReported') recorded++
    else others.set(event.type, (others.get(event.type) ?? 0) + 1)
  }
  t.equal(recorded, commands, `exactly ${commands} events for ${commands * 3} requests`)
  const unexpected = [...others.keys()].filter((type) => !/^Deadline(Missed|Approaching)$/.test(type))
  t.same(unexpected, [], 'nothing else was recorded but the watcher’s deadline notices')
  let reports = 0
  for (let task = 0; task < tasks; task++) {
    for await (const event of store.readStream(taskStream(task)))
      if (event.type === 'ProgressReported') reports++
  }
  t.equal(reports, commands, 'each command once in its stream')
  record({
    row: 'Retries: each command sent 3 times at once with the same Idempotency-Key',
    figure: `${commands} commands, ${commands * 3} requests: ${recorded} progress reports recorded${others.size > 0 ? ` (besides them the watcher's ${[...others].map(([type, n]) => `${n} ${type}`).join(', ')})` : ''}`,
    failures: failed + mismatched + Math.abs(recorded - commands) + unexpected.length,
  })
})
