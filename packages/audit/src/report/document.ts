import type { KeyObject } from 'node:crypto'
import { toHex } from '../hash.ts'
import { leafBytes, type LeafEvent } from '../leaf.ts'
import { signTreeHead, type SignedTreeHead } from '../tree-head.ts'
import { MerkleTree } from '../tree.ts'
import { YearReview } from './annual-review.ts'
import type { AnnualReview, BureauAnnualReview, Figure } from './review-types.ts'

/** A review with the signed tree head of the log prefix it was computed from. */
export interface ReviewDocument extends AnnualReview {
  treeHead: SignedTreeHead
}

/**
 * Signs a tree head over `events` (the log from position 1, in order): the head anyone can check
 * an export against later with `coord audit verify`.
 */
export function signHeadOver(events: readonly LeafEvent[], privateKey: KeyObject, now: Date): SignedTreeHead {
  const tree = new MerkleTree()
  for (const event of events) tree.append(leafBytes(event))
  return headOf(tree, privateKey, now)
}

function headOf(tree: MerkleTree, privateKey: KeyObject, now: Date): SignedTreeHead {
  return signTreeHead(
    { treeSize: tree.size, rootHash: toHex(tree.root()), timestamp: now.toISOString() },
    privateKey,
  )
}

/**
 * The review of `year` with a head signed over exactly the prefix of the log it read, folded and
 * hashed one event at a time (`take`, as `YearReview`), so the log is never held in memory.
 */
export class SignedYearReview {
  private readonly review: YearReview
  private readonly tree = new MerkleTree()

  constructor(year: number) {
    this.review = new YearReview(year)
  }

  /** Takes `event` into the review and the tree, or answers false past the year end: read no further. */
  take(event: LeafEvent): boolean {
    if (!this.review.take(event)) return false
    this.tree.append(leafBytes(event))
    return true
  }

  /** The review of the events taken, with a head over them signed by `privateKey` at `now`. */
  document(options: { bureauIds?: readonly string[]; privateKey: KeyObject; now: Date }): ReviewDocument {
    const review = this.review.review(options.bureauIds ? { bureauIds: options.bureauIds } : {})
    return { ...review, treeHead: headOf(this.tree, options.privateKey, options.now) }
  }
}

/**
 * The review of `year` over the log `events` (from position 1, in order) with a head signed by
 * `privateKey` over exactly the prefix it read.
 */
export function signedAnnualReview(
  events: Iterable<LeafEvent>,
  year: number,
  options: { bureauIds?: readonly string[]; privateKey: KeyObject; now: Date },
): ReviewDocument {
  const review = new SignedYearReview(year)
  for (const event of events) if (!review.take(event)) break
  return review.document(options)
}

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Text made safe for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => escapes[c] as string)
}

const figureRows: [keyof BureauAnnualReview, string][] = [
  ['tasksDue', '年内到期任务 Tasks due in the year'],
  ['tasksOnTime', '按期完成 Done on time'],
  ['tasksLate', '逾期完成 Done late'],
  ['tasksOverdue', '逾期未完成 Still overdue'],
  ['tasksSuspended', '暂停 Suspended'],
  ['acknowledgments', '签收 Acknowledgments'],
  ['averageAcknowledgmentDelayDays', '平均签收用时（天） Mean acknowledgment delay (days)'],
  ['maxAcknowledgmentDelayDays', '最长签收用时（天） Longest acknowledgment delay (days)'],
  ['progressReports', '进展报告 Progress reports'],
  ['completionsRejected', '办结被退回 Completions rejected'],
  ['resolutionsAssigned', '议定事项 Resolutions assigned'],
  ['resolutionsDone', '已落实 Implemented'],
  ['resolutionsInProgress', '落实中 In progress'],
  ['resolutionsOverdue', '逾期 Overdue'],
  ['resolutionsNotStarted', '未启动 Not started'],
  ['targetsReported', '报送指标 Targets reported on'],
  ['targetsAttained', '达成指标 Targets attained'],
  ['dutiesGained', '机构改革划入职责 Duties gained in reorganisations'],
  ['dutiesLost', '机构改革划出职责 Duties lost in reorganisations'],
]

const outcomeNames = {
  on_time: '按期 on time',
  late: '逾期完成 late',
  overdue: '逾期 overdue',
  suspended: '暂停 suspended',
}
const statusNames = {
  done: '已落实 done',
  in_progress: '落实中 in progress',
  overdue: '逾期 overdue',
  not_started: '未启动 not started',
}

const positionsOf = (positions: readonly number[]) =>
  positions.length === 0 ? '—' : positions.map((p) => `<span class="pos">#${escapeHtml(p)}</span>`).join(' ')

function table(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return '<p class="none">无 None</p>'
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('\n')
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`
}

function bureauSection(review: BureauAnnualReview): string {
  const figures = table(
    ['指标 Figure', '数值 Value', '事件位置 Event positions'],
    figureRows.map(([key, label]) => {
      const figure = review[key] as Figure
      return [escapeHtml(label), `<b>${escapeHtml(figure.value)}</b>`, positionsOf(figure.positions)]
    }),
  )
  const e = escapeHtml
  const tasks = table(
    [
      '任务 Task',
      '名称 Title',
      '期限 Deadline',
      '完成 Done on',
      '结果 Outcome',
      '超期天数 Days late',
      '事件 Events',
    ],
    review.tasks.map((t) => [
      e(`${t.planId}/${t.taskId}`),
      e(t.title),
      e(t.deadline),
      e(t.doneOn ?? '—'),
      e(outcomeNames[t.outcome]),
      e(t.daysLate),
      positionsOf(t.positions),
    ]),
  )
  const acks = table(
    ['任务 Task', '交办 Assigned', '签收 Acknowledged', '用时（天） Days', '事件 Events'],
    review.acknowledgmentItems.map((a) => [
      e(`${a.planId}/${a.taskId}`),
      e(a.assignedOn),
      e(a.acknowledgedOn),
      e(a.delayDays),
      positionsOf(a.positions),
    ]),
  )
  const rejections = table(
    ['任务 Task', '退回 Rejected on', '理由 Reason', '事件 Events'],
    review.rejectionItems.map((r) => [
      e(`${r.planId}/${r.taskId}`),
      e(r.rejectedOn),
      e(r.reason),
      positionsOf(r.positions),
    ]),
  )
  const resolutions = table(
    ['议定事项 Resolution', '内容 Text', '任务 Task', '落实情况 Status', '事件 Events'],
    review.resolutionItems.map((r) => [
      e(`${r.meetingId}/${r.resolutionId}`),
      e(r.text),
      e(`${r.planId}/${r.taskId}`),
      e(statusNames[r.status]),
      positionsOf(r.positions),
    ]),
  )
  const targets = table(
    ['指标 Target', '目标值 Target value', '最新值 Latest', '完成率 Attainment', '事件 Events'],
    review.targetItems.map((t) => [
      e(`${t.metric}（${t.planId}/${t.targetId}）`),
      e(`${t.value} ${t.unit}`),
      e(t.latest ? `${t.latest.value} ${t.unit}（${t.latest.asOf}）` : '—'),
      e(t.attainment === null ? '—' : `${Math.round(t.attainment * 10000) / 100}%`),
      positionsOf(t.positions),
    ]),
  )
  const duties = table(
    [
      '职责 Duty',
      '方向 Direction',
      '自 From',
      '至 To',
      '机构改革 Reorganisation',
      '生效 Effective',
      '事件 Event',
    ],
    review.dutyMoves.map((d) => [
      e(d.title === '' ? d.dutyId : `${d.title}（${d.dutyId}）`),
      e(d.direction === 'gained' ? '划入 gained' : '划出 lost'),
      e(d.fromBureauId),
      e(d.toBureauId),
      e(d.reorganisationId),
      e(d.effectiveDate),
      positionsOf([d.position]),
    ]),
  )
  const dissolved = review.dissolvedOn ? `<p>撤销于 Dissolved on ${e(review.dissolvedOn)}</p>` : ''
  return `<section class="bureau" id="bureau-${e(review.bureauId)}">
<h2>${e(review.nameZh)} <small>${e(review.nameEn)} · ${e(review.bureauId)}</small></h2>
${dissolved}
${figures}
<h3>到期任务 Tasks due</h3>
${tasks}
<h3>签收 Acknowledgments</h3>
${acks}
<h3>办结退回 Rejected completions</h3>
${rejections}
<h3>议定事项落实 Resolutions</h3>
${resolutions}
<h3>指标 Targets</h3>
${targets}
<h3>机构改革职责变动 Duty moves in reorganisations</h3>
${duties}
</section>`
}

/** The review as a standalone HTML page: every text escaped, every figure with its event positions. */
export function renderReviewHtml(document: ReviewDocument): string {
  const e = escapeHtml
  const head = document.treeHead
  const title = `${document.year} 年度考核 Annual review ${document.year}`
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${e(title)}</title>
<style>
body { font-family: 'Noto Sans CJK SC', 'Noto Sans CJK', sans-serif; font-size: 11px; margin: 24px; color: #111; }
h1 { font-size: 20px; } h2 { font-size: 16px; border-bottom: 1px solid #999; } h3 { font-size: 13px; }
table { border-collapse: collapse; width: 100%; margin-bottom: 8px; }
th, td { border: 1px solid #bbb; padding: 2px 4px; text-align: left; vertical-align: top; }
.pos { font-family: monospace; color: #225; }
.head dd { font-family: monospace; word-break: break-all; }
section.bureau { page-break-before: always; }
</style>
</head>
<body>
<h1>${e(title)}</h1>
<p>截至 ${e(document.year)} 年 12 月 31 日 24 时（北京时间）记录的事件 · events recorded before ${e(document.yearEnd)}: ${e(document.eventCount)}, last position ${e(document.lastPosition)}</p>
<dl class="head">
<dt>签名树头 Signed tree head</dt>
<dd>treeSize: <span id="tree-size">${e(head.treeSize)}</span></dd>
<dd>rootHash: <span id="root-hash">${e(head.rootHash)}</span></dd>
<dd>timestamp: ${e(head.timestamp)}</dd>
<dd>keyId: ${e(head.keyId)}</dd>
<dd>signature: ${e(head.signature)}</dd>
</dl>
<p>Verify with <code>coord audit export</code> and <code>coord audit verify</code> against this head; each figure lists the global positions of the events behind it.</p>
${document.bureaus.map(bureauSection).join('\n')}
</body>
</html>
`
}
