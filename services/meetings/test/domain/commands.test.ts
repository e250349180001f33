import type { ResolutionAdopted, ResolutionCorrected, ResolutionEffect } from '@coord/events/meetings'
import t from 'tap'
import { resolutionCommands } from '../../src/domain.ts'
import { correctedWork, exhibitionText, exhibitionWork, meetingId, planId } from './fixtures.ts'

const task = `task-${planId}/R-jm-2018-1-R1`
const cause = { kind: 'resolution', id: 'jm-2018-1/R1' }

const adoption = (effect: ResolutionEffect, text = exhibitionText): ResolutionAdopted => ({
  type: 'ResolutionAdopted',
  data: { resolutionId: 'R1', text, effect },
})
const correction = (previous: ResolutionEffect, effect: ResolutionEffect): ResolutionCorrected => ({
  type: 'ResolutionCorrected',
  data: {
    resolutionId: 'R1',
    supersedes: 1,
    text: exhibitionText,
    effect,
    reason: '以会议录音为准',
    previous: { text: exhibitionText, effect: previous },
  },
})

const dutyTransfer: ResolutionEffect = {
  kind: 'transfer-duty',
  fromBureauId: 'market-supervision',
  listKind: 'responsibility',
  dutyId: 'patent-enforcement',
  toBureauId: 'ip-office',
  effectiveDate: '2018-04-01',
}

t.test('new work is published under the resolution, assigned, and given its deadline', async (t) => {
  t.same(resolutionCommands(adoption(exhibitionWork), meetingId), [
    {
      streamId: task,
      command: {
        type: 'PublishTask',
        data: {
          planId,
          taskId: 'R-jm-2018-1-R1',
          title: exhibitionWork.title,
          sectionPath: [],
          basis: { kind: 'resolution', meetingId, resolutionId: 'R1' },
        },
      },
    },
    {
      streamId: task,
      command: { type: 'AssignTask', data: { leads: ['ip-office'], partners: ['commerce'], cause } },
    },
    { streamId: task, command: { type: 'SetDeadline', data: { deadline: '2018-11-05' } } },
  ])
})

t.test('new work without a deadline gets none set', async (t) => {
  const types = resolutionCommands(adoption({ ...exhibitionWork, deadline: null }), meetingId).map(
    (c) => c.command.type,
  )
  t.same(types, ['PublishTask', 'AssignTask'])
})

t.test('a deadline change, a reassignment and a duty transfer each become one command', async (t) => {
  const onTask = { planId, taskId: '三.(二).7' }
  t.same(
    resolutionCommands(
      adoption({ kind: 'change-deadline', ...onTask, deadline: '2018-12-31', reason: '展会延期' }),
      meetingId,
    ),
    [
      {
        streamId: `task-${planId}/三.(二).7`,
        command: { type: 'ChangeDeadline', data: { deadline: '2018-12-31', reason: '展会延期' } },
      },
    ],
  )
  t.same(
    resolutionCommands(
      adoption({ kind: 'change-responsibility', ...onTask, leads: ['commerce'], partners: [] }),
      meetingId,
    ),
    [
      {
        streamId: `task-${planId}/三.(二).7`,
        command: { type: 'AssignTask', data: { leads: ['commerce'], partners: [], cause } },
      },
    ],
  )
  t.same(resolutionCommands(adoption(dutyTransfer, '专利执法职责划转区知识产权局'), meetingId), [
    {
      streamId: 'duties-market-supervision-responsibility',
      command: {
        type: 'TransferDuty',
        data: {
          dutyId: 'patent-enforcement',
          toBureauId: 'ip-office',
          effectiveDate: '2018-04-01',
          reason: '专利执法职责划转区知识产权局',
        },
      },
    },
  ])
})

t.test('a recorded position asks nothing of anyone', async (t) => {
  t.same(resolutionCommands(adoption({ kind: 'record-position' }), meetingId), [])
})

t.test('a corrected deadline moves the task’s deadline, with the correction’s reason', async (t) => {
  t.same(resolutionCommands(correction(exhibitionWork, correctedWork), meetingId), [
    {
      streamId: task,
      command: { type: 'ChangeDeadline', data: { deadline: '2018-10-31', reason: '以会议录音为准' } },
    },
  ])
})

t.test('a deadline added by correction is set, not changed', async (t) => {
  const before = { ...exhibitionWork, deadline: null }
  t.same(resolutionCommands(correction(before, exhibitionWork), meetingId), [
    { streamId: task, command: { type: 'SetDeadline', data: { deadline: '2018-11-05' } } },
  ])
})

t.test('corrected bureaus reassign the task whole; unchanged parts send nothing', async (t) => {
  const after = { ...exhibitionWork, partners: ['commerce', 'culture'] }
  t.same(resolutionCommands(correction(exhibitionWork, after), meetingId), [
    {
      streamId: task,
      command: {
        type: 'AssignTask',
        data: { leads: ['ip-office'], partners: ['commerce', 'culture'], cause },
      },
    },
  ])
  t.same(
    resolutionCommands(correction(exhibitionWork, { ...exhibitionWork, title: '设立保护服务站' }), meetingId),
    [],
  )
})

t.test('a corrected deadline change or reassignment sends only what differs', async (t) => {
  const move = {
    kind: 'change-deadline' as const,
    planId,
    taskId: '三.(二).7',
    deadline: '2018-12-31',
    reason: '展会延期',
  }
  t.same(
    resolutionCommands(correction(move, { ...move, deadline: '2019-01-15' }), meetingId).map(
      (c) => c.command,
    ),
    [{ type: 'ChangeDeadline', data: { deadline: '2019-01-15', reason: '以会议录音为准' } }],
  )
  t.same(resolutionCommands(correction(move, { ...move, reason: '进博会延期' }), meetingId), [])
  const assign = {
    kind: 'change-responsibility' as const,
    planId,
    taskId: '三.(二).7',
    leads: ['commerce'],
    partners: [],
  }
  t.same(resolutionCommands(correction(assign, assign), meetingId), [])
  t.same(
    resolutionCommands(correction(assign, { ...assign, partners: ['ip-office'] }), meetingId).map(
      (c) => c.command.type,
    ),
    ['AssignTask'],
  )
})

t.test('a duty sent to the wrong bureau moves on from there to the corrected one', async (t) => {
  const after = { ...dutyTransfer, toBureauId: 'culture' } as ResolutionEffect
  t.same(resolutionCommands(correction(dutyTransfer, after), meetingId), [
    {
      streamId: 'duties-ip-office-responsibility',
      command: {
        type: 'TransferDuty',
        data: {
          dutyId: 'patent-enforcement',
          toBureauId: 'culture',
          effectiveDate: '2018-04-01',
          reason: '以会议录音为准',
        },
      },
    },
  ])
  t.same(
    resolutionCommands(correction(dutyTransfer, { ...dutyTransfer, effectiveDate: '2018-05-01' }), meetingId),
    [],
  )
})

t.test('a position corrected into work is carried out in full', async (t) => {
  const types = resolutionCommands(correction({ kind: 'record-position' }, exhibitionWork), meetingId).map(
    (c) => c.command.type,
  )
  t.same(types, ['PublishTask', 'AssignTask', 'SetDeadline'])
})

t.test('the same event always gives the same commands and leaves the event as it was', async (t) => {
  const event = correction(exhibitionWork, { ...correctedWork, leads: ['commerce'], partners: ['ip-office'] })
  const copy = structuredClone(event)
  const first = resolutionCommands(event, meetingId)
  t.same(resolutionCommands(event, meetingId), first)
  t.same(event, copy)
  t.same(
    first.map((c) => c.command.type),
    ['AssignTask', 'ChangeDeadline'],
  )
})
