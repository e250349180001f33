import { loadConfig, type Config } from '../src/index.ts'

export const testSecret = 'a-test-secret-that-is-long-enough-0123456789'

/** A test configuration that reads no file and writes nothing. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', JWT_SECRET: testSecret, ...env }, { envFile: false })
}
