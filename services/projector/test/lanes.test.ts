import t from 'tap'
import { inLanes } from '../src/lanes.ts'

/** A job that resolves when `release` is called for its item, recording what runs at once. */
function gatedWork() {
  const gates = new Map<number, (fail?: Error) => void>()
  const started: number[] = []
  let running = 0
  let most = 0
  const work = (item: number) =>
    new Promise<string>((resolve, reject) => {
      started.push(item)
      running += 1
      most = Math.max(most, running)
      gates.set(item, (fail) => {
        running -= 1
        if (fail) reject(fail)
        else resolve(`done ${item}`)
      })
    })
  const release = async (item: number, fail?: Error) => {
    // Lets the lanes take their next items before the gate is looked up.
    await new Promise((resolve) => setImmediate(resolve))
    const open = gates.get(item)
    if (!open) throw new Error(`item ${item} has not started`)
    open(fail)
  }
  return { work, release, started, running: () => running, most: () => most }
}

t.test('runs every item, no more than the lanes at once, results in the items order', async (t) => {
  const jobs = gatedWork()
  const done = inLanes([1, 2, 3, 4, 5], 2, jobs.work)
  await jobs.release(2)
  t.same(jobs.started, [1, 2, 3], 'the lane freed by item 2 takes item 3; item 1 still runs')
  await jobs.release(3)
  await jobs.release(1)
  await jobs.release(4)
  await jobs.release(5)
  t.same(await done, ['done 1', 'done 2', 'done 3', 'done 4', 'done 5'])
  t.equal(jobs.most(), 2, 'two at a time')
})

t.test('a failure starts nothing more, waits for what runs, then throws the first failure', async (t) => {
  const jobs = gatedWork()
  let settled = false
  const done = inLanes([1, 2, 3, 4], 2, jobs.work).finally(() => (settled = true))
  done.catch(() => undefined)
  await jobs.release(1, new Error('first'))
  await new Promise((resolve) => setImmediate(resolve))
  t.same(jobs.started, [1, 2], 'nothing started after the failure')
  t.notOk(settled, 'still waiting for item 2')
  await jobs.release(2, new Error('second'))
  await t.rejects(done, { message: 'first' })
  t.equal(jobs.running(), 0, 'nothing left running')
})

t.test('no items, or fewer items than lanes', async (t) => {
  t.same(await inLanes([], 2, async (item: number) => item), [])
  t.same(await inLanes([7], 4, async (item) => item * 2), [14])
  t.same(await inLanes([1, 2], 0, async (item) => item), [1, 2], 'at least one lane')
})
