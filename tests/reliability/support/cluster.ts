import { execFileSync } from 'node:child_process'
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'

const bin = '/usr/lib/postgresql/15/bin'

function asPostgres(tool: string, args: string[]): void {
  execFileSync('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** A PostgreSQL cluster of the test's own, to stop and start at will; never the shared server. */
export interface Cluster {
  url: string
  start(): void
  /** Stops at once, as a crash would: no checkpoint, connections cut. */
  crash(): void
}

/** initdb into a temporary directory owned by postgres, started; stopped and removed in teardown. */
export async function ownCluster(t: Test): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'coord-pg-'))
  const data = join(dir, 'data')
  chmodSync(dir, 0o700)
  chownSync(dir, uidOf('postgres'), gidOf('postgres'))
  const port = await freePort()
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'])
  const ctl = (...args: string[]) =>
    asPostgres('pg_ctl', ['-D', data, '-o', `-p ${port} -k ${dir}`, '-l', join(dir, 'log'), ...args])
  let running = false
  const cluster: Cluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () => {
      ctl('-w', 'start')
      running = true
    },
    crash: () => {
      ctl('-m', 'immediate', '-w', 'stop')
      running = false
    },
  }
  t.teardown(() => {
    if (running) cluster.crash()
    rmSync(dir, { recursive: true, force: true })
  })
  cluster.start()
  return cluster
}

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim())
}

function gidOf(user: string): number {
  return Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim())
}
