import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t from 'tap'

// The generated TypeScript is checked in, so CI needs no generation step; these tests fail when
// someone changed proto/ and forgot `pnpm --filter @coord/contracts generate`, or broke the contract.

const run = promisify(execFile)
const packageDir = fileURLToPath(new URL('..', import.meta.url))
const protoDir = join(packageDir, '..', '..', 'proto')
const buf = join(packageDir, 'node_modules', '.bin', 'buf')
const committed = join(packageDir, 'src', 'gen')

async function files(dir: string): Promise<string[]> {
  const names = await readdir(dir, { recursive: true })
  const isFile = await Promise.all(names.map(async (name) => (await stat(join(dir, name))).isFile()))
  return names.filter((_, i) => isFile[i]).sort()
}

t.test('the committed generated code is exactly what buf generates from proto/', async (t) => {
  const scratch = await mkdtemp(join(tmpdir(), 'contracts-gen-'))
  t.teardown(() => rm(scratch, { recursive: true, force: true }))
  // buf.gen.yaml writes to ../packages/contracts/src/gen from proto/; --output moves that base
  // into the scratch directory, so the template itself is what is tested.
  await run(buf, ['generate', '--output', join(scratch, 'proto')], { cwd: protoDir })
  const fresh = join(scratch, 'packages', 'contracts', 'src', 'gen')

  const names = await files(committed)
  t.strictSame(await files(fresh), names, 'the same files')
  t.ok(names.length >= 6, 'one file per proto file')
  for (const name of names) {
    const [want, got] = await Promise.all([readFile(join(fresh, name)), readFile(join(committed, name))])
    t.ok(got.equals(want), `${name} is up to date (run: pnpm --filter @coord/contracts generate)`)
  }
})

t.test(
  'the contract passes buf lint, buf format and buf breaking against the released baseline',
  async (t) => {
    const { stdout } = await run('bash', [join(packageDir, 'scripts', 'check.sh')])
    t.match(stdout, /contract ok/)
  },
)
