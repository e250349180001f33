import t from 'tap'
import { CliError } from '../src/cli.ts'
import { asOfInstant, replaySuffix } from '../src/commands/audit-replay.ts'
import { duration, ProgressBar, progressText } from '../src/progress.ts'

t.test('--as-of takes a day as its end in China Standard Time, or an instant with a zone', async (t) => {
  t.equal(asOfInstant('2019-12-31'), '2019-12-31T15:59:59.999Z')
  t.equal(asOfInstant('2019-12-31T18:00:00+08:00'), '2019-12-31T10:00:00.000Z')
  t.equal(asOfInstant('2019-12-31T10:00:00.5Z'), '2019-12-31T10:00:00.500Z')
  for (const bad of [undefined, '', '2019-02-30', '2019-12-31T10:00', '31/12/2019', 'yesterday']) {
    t.throws(() => asOfInstant(bad), CliError, String(bad))
  }
})

t.test('a replay target is named from the day, or from the instant in China Standard Time', async (t) => {
  t.equal(replaySuffix('2019-12-31', asOfInstant('2019-12-31')), '20191231')
  t.equal(replaySuffix('2019-12-31T18:30:05Z', asOfInstant('2019-12-31T18:30:05Z')), '20200101_023005')
})

t.test('progress shows the share done, the rate and the time left', async (t) => {
  t.equal(duration(0), '0:00')
  t.equal(duration(75), '1:15')
  t.equal(duration(3725), '1:02:05')
  t.equal(duration(Number.NaN), '--:--')
  t.equal(progressText(250, 1000, 2000, false), ' 25.0%  250/1000 events  125 events/s  0:06 left')
  t.match(progressText(500, 1000, 1000, true), /^\[#{12}\.{12}\] +50\.0%/)
  t.equal(progressText(0, 0, 0, false), '100.0%  0/0 events  0 events/s  0:00 left')
})

t.test('a terminal is redrawn in place; a log gets a line every few seconds', async (t) => {
  let clock = 0
  const written: string[] = []
  const log = new ProgressBar({
    sink: { isTTY: false, write: (text: string) => written.push(text) },
    label: 'replay',
    now: () => clock,
    lineEveryMs: 5000,
  })
  for (clock = 0; clock <= 12_000; clock += 1000) log.update(clock / 10, 1200)
  t.equal(written.length, 3, 'at 0, 5 and 10 seconds')
  t.ok(written.every((line) => line.endsWith('\n') && !line.includes('\r')))
  t.match(written[2], /^replay  83\.3%  1000\/1200 events  100 events\/s  0:02 left\n$/)
  clock = 12_000
  log.finish(1200)
  t.match(written.at(-1), /^replay: 1200 events in 12\.0 s \(100 events\/s\)\n$/)
  log.stage('digesting the tables')
  t.equal(written.at(-1), 'replay: digesting the tables\n', 'a stage is a line of its own')

  const drawn: string[] = []
  const tty = new ProgressBar({
    sink: { isTTY: true, write: (text: string) => drawn.push(text) },
    label: 'replay',
    now: () => clock,
  })
  tty.update(1, 10)
  tty.update(2, 10)
  clock += 150
  tty.update(3, 10)
  t.equal(drawn.length, 2, 'redraws are throttled')
  t.ok(drawn.every((text) => text.startsWith('\r') && !text.includes('\n')))
  tty.stage('digesting the tables')
  t.equal(drawn.at(-1), '\r\x1b[Kreplay: digesting the tables\n', 'a stage clears the bar and keeps its line')
})
