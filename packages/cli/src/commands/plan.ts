import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { PlanImportError, importPlan, type ParsedPlan } from '@coord/plan-import'
import { loadConfig } from '@coord/service-kit/config'
import { signToken } from '@coord/service-kit/token'
import { CliError, parse, refuseExtraArguments, type CliCommand } from '../cli.ts'

const help = `usage: coord plan import <file> [--dry-run] [--json] [--plan-id <id>] [--url <url>] [--token <jwt>]

Reads a published plan (工作方案, 实施方案, 行动计划), a task-division document (重点任务分工)
or joint-meeting minutes (会议纪要), in UTF-8 or GBK.
  --dry-run   only read the document and print what would be imported; nothing is sent
  --json      print the structured plan as JSON
  --url       the platform to import into (default http://HOST:PORT from the configuration)
  --token     a planner token (default: one signed with this installation's key)`

export const planCommand: CliCommand = {
  async run(args) {
    const parsed = parse(
      args,
      {
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'plan-id': { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
      },
      help,
    )
    if (!parsed) return 0
    const [sub, file] = parsed.positionals
    if (sub !== 'import' || !file) throw new CliError(help)
    refuseExtraArguments(parsed.positionals, 2, help)
    const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
      throw new CliError(`cannot read ${file}: ${error.code ?? error.message}`)
    })
    const plan = readPlan(bytes, file)
    if (parsed.values['dry-run']) {
      process.stdout.write(parsed.values.json ? `${JSON.stringify(plan, null, 2)}\n` : summary(plan))
      return 0
    }
    const result = await send(bytes, file, parsed.values)
    process.stdout.write(
      parsed.values.json ? `${JSON.stringify(result, null, 2)}\n` : `imported: ${JSON.stringify(result)}\n`,
    )
    return 0
  },
}

function readPlan(bytes: Uint8Array, file: string): ParsedPlan {
  try {
    return importPlan(bytes)
  } catch (error) {
    if (error instanceof PlanImportError) throw new CliError(`${file}: ${error.message}`, 1)
    throw error
  }
}

function summary(plan: ParsedPlan): string {
  const lines = [
    `${plan.title}`,
    `  ${[plan.docNumber, plan.issuer, plan.issueDate, plan.period].filter(Boolean).join(' · ')}`,
    `  ${plan.sections.length} sections, ${plan.targets.length} targets, ${plan.taskCount} tasks, ${plan.safeguards.length} safeguards`,
    ...plan.targets.map(
      (t) => `  target  ${t.metric} ${t.value}${t.unit}${t.deadline ? ` (${t.deadline})` : ''}`,
    ),
    ...plan.tasks.map(
      (t) =>
        `  task    ${t.id.padEnd(12)} ${t.title}${t.leads.length ? `  牵头: ${t.leads.join('、')}` : ''}`,
    ),
  ]
  return `${lines.join('\n')}\n`
}

async function send(
  bytes: Uint8Array,
  file: string,
  options: { 'plan-id'?: string | undefined; url?: string | undefined; token?: string | undefined },
): Promise<unknown> {
  const config = loadConfig()
  const url = options.url ?? `http://${config.host}:${config.port}`
  const token = options.token ?? signToken(config, { role: 'planner', user: 'coord-cli' })
  const body = {
    contentBase64: Buffer.from(bytes).toString('base64'),
    fileName: basename(file),
    ...(options['plan-id'] ? { planId: options['plan-id'] } : {}),
  }
  const response = await fetch(`${url}/planning/plans/import`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  }).catch((error: Error) => {
    throw new CliError(`cannot reach the platform at ${url}: ${error.message}`, 1)
  })
  const answer = (await response.json().catch(() => ({}))) as { message?: string }
  if (!response.ok)
    throw new CliError(`the platform refused the import (${response.status}): ${answer.message ?? ''}`, 1)
  return answer
}
