import fc from 'fast-check'
import {
  bureauStreamId,
  dutyListStreamId,
  isResponsibilityEventType,
  listKinds,
  parseResponsibilityStreamId,
  reorganisationStreamId,
  responsibilityEventTypes,
} from '@coord/events/responsibility'
import t from 'tap'

const ids = fc.string({ minLength: 1, maxLength: 30 })

t.test('each stream id parses back to the ids it was made from, whatever they contain', async (t) => {
  fc.assert(
    fc.property(ids, fc.constantFrom(...listKinds), (id, listKind) => {
      const list = parseResponsibilityStreamId(dutyListStreamId(id, listKind))
      const bureau = parseResponsibilityStreamId(bureauStreamId(id))
      const reorganisation = parseResponsibilityStreamId(reorganisationStreamId(id))
      return (
        list?.kind === 'duties' &&
        list.bureauId === id &&
        list.listKind === listKind &&
        bureau?.kind === 'bureau' &&
        bureau.bureauId === id &&
        reorganisation?.kind === 'reorganisation' &&
        reorganisation.reorganisationId === id
      )
    }),
  )
  t.pass('round trips')
})

t.test('other streams are no responsibility streams, and empty ids are refused', async (t) => {
  for (const streamId of ['task-p/1', 'plan-p', 'duties-x', 'duties--power', 'bureau-', 'reorganisation-'])
    t.equal(parseResponsibilityStreamId(streamId), undefined, streamId)
  t.throws(() => bureauStreamId(''), RangeError)
  t.throws(() => dutyListStreamId('', 'power'), RangeError)
})

t.test('the event type list names every responsibility event', async (t) => {
  t.equal(responsibilityEventTypes.length, 13)
  t.ok(responsibilityEventTypes.every(isResponsibilityEventType))
  t.notOk(isResponsibilityEventType('TaskAssigned'))
})
