import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { ConfigError, loadConfig, parseEnv } from '../src/index.ts'
import { testSecret } from './helpers.ts'

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'service-kit-config-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn()
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

t.test('an empty environment gives the documented defaults and a stored development secret', (t) => {
  const cwd = tempDir(t)
  const config = loadConfig({}, { cwd })
  t.equal(config.nodeEnv, 'development')
  t.equal(config.port, 3000)
  t.equal(config.host, '127.0.0.1')
  t.equal(config.logLevel, 'info')
  t.equal(config.databaseUrl, undefined, 'no DATABASE_URL: the embedded store')
  t.equal(config.dataDir, join(cwd, 'data'))
  t.same(config.kafkaBrokers, [], 'no KAFKA_BROKERS: the relay is off')
  t.equal(config.jwt.issuer, 'coord-platform')
  t.equal(config.jwt.audience, 'coord-api')
  t.equal(config.signingKeyFile, undefined)
  const secretFile = join(cwd, 'data', 'dev-jwt-secret')
  t.equal(readFileSync(secretFile, 'utf8').trim(), config.jwt.secret, 'the dev secret is kept in DATA_DIR')
  t.equal(statSync(secretFile).mode & 0o777, 0o600, 'only the owner can read it')
  t.equal(loadConfig({}, { cwd }).jwt.secret, config.jwt.secret, 'the next start uses the same secret')
  t.ok(Object.isFrozen(config) && Object.isFrozen(config.jwt) && Object.isFrozen(config.kafkaBrokers))
  t.end()
})

t.test('every variable is read and typed', (t) => {
  const cwd = tempDir(t)
  const config = loadConfig(
    {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://coord:pw@db:5432/coord',
      DATA_DIR: '/var/lib/coord',
      KAFKA_BROKERS: 'k1:9092, k2:9092',
      PORT: '8080',
      HOST: '0.0.0.0',
      LOG_LEVEL: 'warn',
      JWT_SECRET: testSecret,
      JWT_ISSUER: 'pudong',
      JWT_AUDIENCE: 'coord',
      SIGNING_KEY_FILE: 'keys/audit.pem',
    },
    { cwd },
  )
  t.match(config, {
    nodeEnv: 'production',
    databaseUrl: 'postgres://coord:pw@db:5432/coord',
    dataDir: '/var/lib/coord',
    kafkaBrokers: ['k1:9092', 'k2:9092'],
    port: 8080,
    host: '0.0.0.0',
    logLevel: 'warn',
    jwt: { secret: testSecret, issuer: 'pudong', audience: 'coord' },
    signingKeyFile: join(cwd, 'keys/audit.pem'),
  })
  t.end()
})

t.test('a bad PORT stops with a message naming PORT', (t) => {
  for (const port of ['abc', '70000', '-1', '3000.5']) {
    const error = configError(() => loadConfig({ NODE_ENV: 'test', PORT: port }, { envFile: false }))
    t.same(
      error.problems.map((p) => p.variable),
      ['PORT'],
      `PORT=${port}`,
    )
    t.match(error.message, /PORT: must be an integer from 0 to 65535/)
  }
  t.end()
})

t.test('production without JWT_SECRET is refused', (t) => {
  const error = configError(() => loadConfig({ NODE_ENV: 'production' }, { envFile: false }))
  t.match(error.message, /JWT_SECRET: is required in production/)
  t.end()
})

t.test('a short JWT_SECRET is refused without echoing it', (t) => {
  const error = configError(() => loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'hunter2' }, { envFile: false }))
  t.match(error.message, /JWT_SECRET: must have at least 32 characters, it has 7/)
  t.notMatch(error.message, /hunter2/)
  t.end()
})

t.test('every bad variable is named at once; a database password is not echoed', (t) => {
  const error = configError(() =>
    loadConfig(
      {
        NODE_ENV: 'staging',
        LOG_LEVEL: 'loud',
        DATABASE_URL: 'mysql://u:secret-pw@h/db',
        KAFKA_BROKERS: 'k1:9092,nope',
      },
      { envFile: false },
    ),
  )
  t.same(
    error.problems.map((p) => p.variable),
    ['NODE_ENV', 'LOG_LEVEL', 'DATABASE_URL', 'KAFKA_BROKERS'],
  )
  t.notMatch(error.message, /secret-pw/)
  t.match(error.message, /KAFKA_BROKERS: must be a comma-separated list of host:port, got 'nope'/)
  t.end()
})

t.test('the test environment generates a secret in memory and writes nothing', (t) => {
  const cwd = tempDir(t)
  const a = loadConfig({ NODE_ENV: 'test' }, { cwd })
  t.ok(a.jwt.secret.length >= 32)
  t.notOk(existsSync(join(cwd, 'data')), 'no data directory was created')
  t.end()
})

t.test('a .env file in the working directory is read, and the real environment wins', (t) => {
  const cwd = tempDir(t)
  writeFileSync(
    join(cwd, '.env'),
    [
      '# local settings',
      'export PORT=4000',
      'HOST = 0.0.0.0   # all interfaces',
      `JWT_SECRET='${testSecret}'`,
      'JWT_ISSUER="pudong \\"district\\""',
      'LOG_LEVEL=debug',
      'DATABASE_URL=',
      '',
    ].join('\n'),
  )
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'error' }, { cwd })
  t.equal(config.port, 4000)
  t.equal(config.host, '0.0.0.0', 'an inline comment is dropped')
  t.equal(config.jwt.secret, testSecret, 'single quotes are literal')
  t.equal(config.jwt.issuer, 'pudong "district"', 'double quotes take escapes')
  t.equal(config.logLevel, 'error', 'the real environment wins over .env')
  t.equal(config.databaseUrl, undefined, 'an empty value is unset')
  t.end()
})

t.test('the .env parser', (t) => {
  t.same(parseEnv('A=1\r\nB="x\\ny"\n#c\n  \nC=a#b\nD=\'it # is\''), {
    A: '1',
    B: 'x\ny',
    C: 'a#b',
    D: 'it # is',
  })
  t.throws(() => parseEnv('A=1\nnot a line'), /\.env line 2 is not KEY=value/)
  t.throws(() => parseEnv('A="open'), /A: \.env line 1 has an unclosed quote/)
  t.throws(() => parseEnv('=x'), ConfigError)
  t.end()
})

t.test('a broken .env line stops loading', (t) => {
  const cwd = tempDir(t)
  writeFileSync(join(cwd, '.env'), 'PORT 3000\n')
  t.throws(() => loadConfig({ NODE_ENV: 'test' }, { cwd }), ConfigError)
  t.end()
})

t.test('a DATA_DIR that cannot keep the development secret is a configuration error naming it', (t) => {
  const cwd = tempDir(t)
  writeFileSync(join(cwd, 'a-file'), 'not a directory')
  const error = configError(() => loadConfig({ DATA_DIR: 'a-file' }, { cwd }))
  t.same(
    error.problems.map((p) => p.variable),
    ['DATA_DIR'],
  )
  t.match(
    error.message,
    `${join(cwd, 'a-file', 'dev-jwt-secret')}: a part of the path is a file, not a directory`,
  )
  t.match(error.message, /set DATA_DIR to a directory this process may write, or set JWT_SECRET/)
  t.equal(
    loadConfig({ DATA_DIR: 'a-file', JWT_SECRET: testSecret }, { cwd }).jwt.secret,
    testSecret,
    'a given secret needs no file',
  )
  t.end()
})
