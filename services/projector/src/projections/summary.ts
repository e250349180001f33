import { unreachable } from '@coord/domain'
import type { PlanEvent, TaskEvent } from '@coord/events'
import type { MeetingEvent } from '@coord/events/meetings'
import type { ResponsibilityEvent } from '@coord/events/responsibility'
import type { Concern } from './types.ts'

export type KnownEvent = PlanEvent | TaskEvent | MeetingEvent | ResponsibilityEvent

const listNames = { power: '权力清单', responsibility: '责任清单' } as const
const join = (names: readonly string[]) => (names.length > 0 ? names.join('、') : '无')

/**
 * A one-line Chinese summary for the activity timeline. It quotes no restricted text (completion
 * summaries, rejection reasons, verification notes), so the timeline may be shown to any bureau
 * the event concerns.
 */
export function summarize(event: KnownEvent, concern: Concern): string {
  const task = `任务 ${concern.taskId ?? ''}`
  switch (event.type) {
    case 'PlanImported':
      return `导入工作方案《${event.data.title}》`
    case 'PlanIssued':
      return `印发工作方案 ${concern.planId ?? ''}`
    case 'PlanAmended':
      return `修订工作方案：${event.data.reason}`
    case 'GoalDefined':
      return `确定工作目标 ${event.data.goalId}：${event.data.text}`
    case 'TargetDefined':
      return `设定指标「${event.data.metric}」目标值 ${event.data.value}${event.data.unit}`
    case 'TargetMeasurementReported':
      return `报告指标 ${event.data.targetId} 数值 ${event.data.value}（截至 ${event.data.asOf}）`
    case 'TaskPublished':
      return `发布${task}「${event.data.title}」`
    case 'TaskAssigned':
      return `分派${task}：牵头 ${join(event.data.leads)}；配合 ${join(event.data.partners)}`
    case 'TaskAcknowledged':
      return `${event.data.bureauId} 签收${task}`
    case 'DeadlineSet':
      return `${task} 设定完成期限 ${event.data.deadline}`
    case 'DeadlineChanged':
      return `${task} 完成期限由 ${event.data.from} 调整为 ${event.data.to}`
    case 'ProgressReported':
      return `${event.data.bureauId} 报告${task}进展 ${event.data.percent}%`
    case 'CompletionSubmitted':
      return `${event.data.bureauId} 提交${task}办结申请`
    case 'CompletionVerified':
      return `${task} 办结经核验通过`
    case 'CompletionRejected':
      return `${task} 办结申请被退回`
    case 'TaskClosed':
      return `${task} 销号`
    case 'TaskSuspended':
      return `${task} 暂停`
    case 'TaskResumed':
      return `${task} 恢复`
    case 'TaskCancelled':
      return `${task} 撤销`
    case 'DeadlineApproaching':
      return `${task} 距完成期限 ${event.data.deadline} 还有 ${event.data.daysLeft} 天（催办）`
    case 'DeadlineMissed':
      return `${task} 已逾期（期限 ${event.data.deadline}）`
    default:
      return summarizeOther(event)
  }
}

function summarizeOther(event: Exclude<KnownEvent, PlanEvent | TaskEvent>): string {
  switch (event.type) {
    case 'JointMeetingScheduled':
      return `安排第 ${event.data.session} 次联席会议（${event.data.date}，${event.data.convener}召集）`
    case 'AttendanceRecorded':
      return `记录联席会议出席情况：${join(event.data.entries.map((e) => e.bureauId))}`
    case 'ResolutionAdopted':
      return `通过议定事项 ${event.data.resolutionId}：${event.data.text}`
    case 'ResolutionCorrected':
      return `更正议定事项 ${event.data.resolutionId}（第 ${event.data.supersedes + 1} 版）：${event.data.reason}`
    case 'MinutesIssued':
      return `印发会议纪要 ${event.data.minutesNumber}`
    case 'JointMeetingClosed':
      return '联席会议结束'
    case 'BureauRegistered':
      return `登记单位 ${event.data.nameZh}（${event.data.kind}）`
    case 'BureauRenamed':
      return `单位更名为 ${event.data.nameZh}（${event.data.effectiveDate} 起）`
    case 'BureauDissolved':
      return `单位撤销（${event.data.effectiveDate} 起），由 ${join(event.data.successorIds)} 承接`
    case 'ResponsibilityListPublished':
      return `${event.data.bureauId} 发布${listNames[event.data.listKind]}第 ${event.data.version} 版（${event.data.duties.length} 项职责）`
    case 'DutyAdded':
      return `新增职责「${event.data.title}」（${event.data.effectiveDate} 起）`
    case 'DutyAmended':
      return `修改职责「${event.data.title}」（${event.data.effectiveDate} 起）`
    case 'DutyRevoked':
      return `取消职责 ${event.data.dutyId}（${event.data.effectiveDate} 起）`
    case 'DutyTransferred':
      return `职责 ${event.data.dutyId} 由 ${event.data.fromBureauId} 划转至 ${event.data.toBureauId}（${event.data.effectiveDate} 起）`
    case 'DutyReceived':
      return `${event.data.toBureauId} 承接 ${event.data.fromBureauId} 划转的职责「${event.data.duty.title}」`
    case 'BureausMerged':
      return `机构改革：${join(event.data.fromBureauIds)} 合并为 ${event.data.intoBureauId}`
    case 'BureauSplit':
      return `机构改革：${event.data.fromBureauId} 分设为 ${join(event.data.intoBureauIds)}`
    case 'BureauRenameDecided':
      return `机构改革：${event.data.bureauId} 更名为 ${event.data.nameZh}`
    case 'ReorganisationCompleted':
      return `机构改革 ${event.data.reorganisationId} 完成（${event.data.steps} 项后续操作）`
    default:
      return unreachable(event)
  }
}
