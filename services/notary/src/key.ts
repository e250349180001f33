import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, type Config } from '@coord/service-kit/config'

/** Where a development installation keeps the key it generated on its first start. */
export function developmentKeyPath(dataDir: string): string {
  return join(dataDir, 'dev-notary-signing-key.pem')
}

/**
 * The Ed25519 key that signs tree heads: `SIGNING_KEY_FILE` (a PKCS#8 PEM) when set, required in
 * production. Development generates one on first start in DATA_DIR and keeps it (so heads signed
 * before a restart still verify); tests get a fresh key in memory and write nothing.
 */
export function loadSigningKey(config: Pick<Config, 'nodeEnv' | 'dataDir' | 'signingKeyFile'>): KeyObject {
  if (config.signingKeyFile !== undefined) return readKey(config.signingKeyFile, 'SIGNING_KEY_FILE')
  if (config.nodeEnv === 'production') {
    throw new ConfigError([
      { variable: 'SIGNING_KEY_FILE', message: 'is required in production (an Ed25519 private key in PEM)' },
    ])
  }
  if (config.nodeEnv === 'test') return generateKeyPairSync('ed25519').privateKey
  const path = developmentKeyPath(config.dataDir)
  mkdirSync(config.dataDir, { recursive: true })
  try {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' })
    writeFileSync(path, pem, { flag: 'wx', mode: 0o600 })
  } catch (error) {
    // Already there (from an earlier start, or another process just now): use it.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  return readKey(path, 'SIGNING_KEY_FILE')
}

function readKey(path: string, variable: string): KeyObject {
  let pem: string
  try {
    pem = readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigError([
      { variable, message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code}` },
    ])
  }
  let key: KeyObject
  try {
    key = createPrivateKey(pem)
  } catch {
    throw new ConfigError([{ variable, message: `${path} does not hold a private key in PEM` }])
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ConfigError([
      {
        variable,
        message: `${path} holds a ${key.asymmetricKeyType ?? 'unknown'} key; tree heads need Ed25519`,
      },
    ])
  }
  return key
}
