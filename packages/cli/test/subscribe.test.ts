import { mappedEventTypes } from '@coord/contracts'
import t from 'tap'
import {
  RecentIds,
  chinaTime,
  eventLabels,
  formatEvent,
  header,
  subjectOf,
} from '../src/commands/subscribe.ts'
import { cliEnv, runCli, tempDir } from './helpers.ts'

// `coord subscribe`, the parts that need no broker: the readable line, the labels, the bounded
// memory of ids it dedupes by, and its usage errors. Against Kafka: tests/kafka/subscribe.test.ts.

const progress = {
  id: '01a20fca-8bdb-7037-b87d-ae3cbe834e78',
  streamId: 'task-pudong-ip-2017/三.(二).7',
  revision: 6,
  position: 120,
  type: 'ProgressReported',
  schemaVersion: 1,
  data: { bureauId: '区知识产权局', percent: 60, narrative: '展会备案制度草案已完成', evidence: [] },
  metadata: {
    actor: { role: 'bureau', bureauId: '区知识产权局', user: 'ip-office-clerk' },
    correlationId: 'c-1',
    causationId: null,
    occurredAt: '2018-03-01T08:00:00.000Z',
    recordedAt: '2018-03-01T08:00:01.000Z',
  },
}

t.test('a progress report reads as one line in Chinese: China time, task, type and who', async (t) => {
  t.equal(
    formatEvent(progress),
    '2018-03-01 16:00  任务 三.(二).7  进展报告 (ProgressReported)  区知识产权局 60%',
  )
})

t.test('an assignment names its lead and partner bureaus', async (t) => {
  const assigned = {
    ...progress,
    type: 'TaskAssigned',
    data: { leads: ['区知识产权局'], partners: ['区商务委', '区文广局'] },
  }
  t.equal(
    formatEvent(assigned),
    '2018-03-01 16:00  任务 三.(二).7  任务分派 (TaskAssigned)  牵头 区知识产权局；配合 区商务委、区文广局',
  )
})

t.test('an event type this version does not know still prints, with its type', async (t) => {
  t.equal(
    formatEvent({ ...progress, type: 'TaskEscalated', data: {} }),
    '2018-03-01 16:00  任务 三.(二).7  事件 (TaskEscalated)',
  )
})

t.test('every event type bureaus receive has a Chinese label', async (t) => {
  const missing = mappedEventTypes.filter((type) => !eventLabels[type])
  t.same(missing, [])
})

t.test('the subject of each kind of stream is said in Chinese', async (t) => {
  t.equal(subjectOf('plan-pudong-ip-2017'), '方案 pudong-ip-2017')
  t.equal(subjectOf('meeting-jm-2018-1'), '会议 jm-2018-1')
  t.equal(subjectOf('bureau-ip-office'), '委办局 ip-office')
  t.equal(subjectOf('duties-ip-office-power'), 'ip-office 权力清单')
  t.equal(subjectOf('duties-ip-office-responsibility'), 'ip-office 责任清单')
  t.equal(subjectOf('reorganisation-2018-merge'), '机构改革 2018-merge')
  t.equal(subjectOf('something-else'), 'something-else')
})

t.test('times are China Standard Time, to the minute', async (t) => {
  t.equal(chinaTime('2018-12-31T16:30:00Z'), '2019-01-01 00:30')
  t.equal(chinaTime('2018-03-15T09:30:00+08:00'), '2018-03-15 09:30')
  t.equal(chinaTime('not a time'), 'not a time')
})

t.test('header values are read from Buffers as kafkajs gives them', async (t) => {
  t.equal(header({ ce_id: Buffer.from('abc') }, 'ce_id'), 'abc')
  t.equal(header({ ce_type: 'TaskAssigned' }, 'ce_type'), 'TaskAssigned')
  t.equal(header({}, 'ce_id'), undefined)
})

t.test('repeats are dropped while the memory of ids stays bounded', async (t) => {
  const ids = new RecentIds(3)
  t.same(
    ['a', 'b', 'a', 'c', 'd'].map((id) => ids.add(id)),
    [true, true, false, true, true],
  )
  t.equal(ids.add('a'), true, 'the oldest id was forgotten when the fourth came')
  t.equal(ids.add('d'), false, 'a recent one is still known')
})

t.test('subscribe without --bureau is a usage error', async (t) => {
  const run = await runCli(['subscribe'], cliEnv(tempDir(t)))
  t.equal(run.code, 2)
  t.equal(run.stdout, '')
  t.match(run.stderr, 'coord: --bureau <id> is required')
})

t.test('subscribe without brokers says how to give them', async (t) => {
  const run = await runCli(['subscribe', '--bureau', 'ip-office'], cliEnv(tempDir(t), { KAFKA_BROKERS: '' }))
  t.equal(run.code, 2)
  t.match(run.stderr, 'coord: no Kafka brokers: pass --brokers host:port or set KAFKA_BROKERS')
})

t.test('subscribe --help prints its usage and exits 0', async (t) => {
  const run = await runCli(['subscribe', '--help'], cliEnv(tempDir(t)))
  t.equal(run.code, 0)
  t.match(run.stdout, /usage: coord subscribe --bureau <id> \[--from-beginning\]/)
})

t.test('subscribe to brokers that do not answer fails in one line, naming them', async (t) => {
  const run = await runCli(
    ['subscribe', '--bureau', 'ip-office', '--brokers', '127.0.0.1:1'],
    cliEnv(tempDir(t)),
  )
  t.equal(run.code, 1, 'the command could not do its work')
  t.equal(run.stdout, '')
  t.match(run.stderr, /^coord: cannot reach the Kafka brokers 127\.0\.0\.1:1: .*ECONNREFUSED[^\n]*\n$/)
  t.notMatch(run.stderr, /coord: kafka:/, "no line for each of kafkajs' tries")
  t.notMatch(run.stderr, /unexpected error|KafkaJSNonRetriableError|\n\s+at /, 'no stack')
})

t.test('subscribe refuses an argument it does not take', async (t) => {
  const run = await runCli(['subscribe', '--bureau', 'ip-office', 'extra'], cliEnv(tempDir(t)))
  t.equal(run.code, 2)
  t.match(run.stderr, "coord: unexpected argument 'extra'")
})
