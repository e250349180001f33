import t from 'tap'
import { bureauStreamId, dutyListStreamId, reorganisationStreamId } from '@coord/events/responsibility'
import { duty, fresh, names, openApp, post, publish, register, revision, tokens } from './helpers.ts'

// Every write route, table-driven: each row prepares what its command needs (with ids of its own)
// and names the stream the command writes first. Each route is then checked the same way.

const { app, store } = await openApp(t)

interface Prepared {
  url: string
  body: Record<string, unknown>
  streamId: string
  events: string[]
}

const routes: { name: string; prepare: () => Promise<Prepared> }[] = [
  {
    name: 'POST /bureaus registers a bureau',
    prepare: async () => {
      const bureauId = fresh('reg')
      const body = { bureauId, ...names(bureauId), kind: '街镇', parentId: null, effectiveDate: '2015-01-01' }
      return { url: '/bureaus', body, streamId: bureauStreamId(bureauId), events: ['BureauRegistered'] }
    },
  },
  {
    name: 'POST /bureaus/:id/rename renames a bureau',
    prepare: async () => {
      const bureauId = fresh('ren')
      await register(app, bureauId)
      const body = { ...names(`${bureauId}-new`), effectiveDate: '2017-01-01', reason: '更名' }
      return {
        url: `/bureaus/${bureauId}/rename`,
        body,
        streamId: bureauStreamId(bureauId),
        events: ['BureauRenamed'],
      }
    },
  },
  {
    name: 'POST /bureaus/:id/lists/:listKind publishes a list',
    prepare: async () => {
      const bureauId = fresh('pub')
      await register(app, bureauId)
      const body = { effectiveDate: '2016-01-01', reason: '公布', duties: [duty(fresh('D'))] }
      const streamId = dutyListStreamId(bureauId, 'responsibility')
      return {
        url: `/bureaus/${bureauId}/lists/responsibility`,
        body,
        streamId,
        events: ['ResponsibilityListPublished'],
      }
    },
  },
  {
    name: 'POST …/duties adds a duty',
    prepare: async () => {
      const bureauId = fresh('add')
      await register(app, bureauId)
      await publish(app, bureauId, [fresh('D')])
      const body = { ...duty(fresh('D')), effectiveDate: '2017-01-01', reason: '新增' }
      const streamId = dutyListStreamId(bureauId, 'power')
      return { url: `/bureaus/${bureauId}/lists/power/duties`, body, streamId, events: ['DutyAdded'] }
    },
  },
  {
    name: 'POST …/duties/:dutyId/amend amends a duty',
    prepare: async () => {
      const bureauId = fresh('amd')
      const dutyId = fresh('D')
      await register(app, bureauId)
      await publish(app, bureauId, [dutyId])
      const body = { legalBasis: '《专利法》(2020修正)', effectiveDate: '2020-06-01', reason: '法律修订' }
      const url = `/bureaus/${bureauId}/lists/power/duties/${dutyId}/amend`
      return { url, body, streamId: dutyListStreamId(bureauId, 'power'), events: ['DutyAmended'] }
    },
  },
  {
    name: 'POST …/duties/:dutyId/revoke revokes a duty',
    prepare: async () => {
      const bureauId = fresh('rev')
      const dutyId = fresh('D')
      await register(app, bureauId)
      await publish(app, bureauId, [dutyId])
      const url = `/bureaus/${bureauId}/lists/power/duties/${dutyId}/revoke`
      const body = { effectiveDate: '2018-01-01', reason: '取消' }
      return { url, body, streamId: dutyListStreamId(bureauId, 'power'), events: ['DutyRevoked'] }
    },
  },
  {
    name: 'POST …/duties/:dutyId/transfer transfers a duty',
    prepare: async () => {
      const [from, to, dutyId] = [fresh('tfa'), fresh('tfb'), fresh('D')]
      await register(app, from)
      await register(app, to)
      await publish(app, from, [dutyId])
      const url = `/bureaus/${from}/lists/power/duties/${dutyId}/transfer`
      const body = { toBureauId: to, effectiveDate: '2018-01-01', reason: '划转' }
      return { url, body, streamId: dutyListStreamId(from, 'power'), events: ['DutyTransferred'] }
    },
  },
  {
    name: 'POST /reorganisations/merge decides a merge',
    prepare: async () => {
      const [a, b, reorganisationId] = [fresh('mga'), fresh('mgb'), fresh('merge')]
      await register(app, a)
      await register(app, b)
      const body = {
        reorganisationId,
        fromBureauIds: [a],
        intoBureauId: b,
        effectiveDate: '2019-01-01',
        reason: '机构改革',
      }
      return {
        url: '/reorganisations/merge',
        body,
        streamId: reorganisationStreamId(reorganisationId),
        events: ['BureausMerged'],
      }
    },
  },
  {
    name: 'POST /reorganisations/split decides a split',
    prepare: async () => {
      const [a, b, c, reorganisationId] = [fresh('spa'), fresh('spb'), fresh('spc'), fresh('split')]
      for (const id of [a, b, c]) await register(app, id)
      const body = {
        reorganisationId,
        fromBureauId: a,
        intoBureauIds: [b, c],
        dutyAllocation: { 'IP-P-001': c },
        effectiveDate: '2019-01-01',
        reason: '职能分设',
      }
      return {
        url: '/reorganisations/split',
        body,
        streamId: reorganisationStreamId(reorganisationId),
        events: ['BureauSplit'],
      }
    },
  },
  {
    name: 'POST /reorganisations/rename decides a rename',
    prepare: async () => {
      const [a, reorganisationId] = [fresh('rna'), fresh('rename')]
      await register(app, a)
      const body = {
        reorganisationId,
        bureauId: a,
        ...names(`${a}-new`),
        effectiveDate: '2019-01-01',
        reason: '更名',
      }
      const streamId = reorganisationStreamId(reorganisationId)
      return { url: '/reorganisations/rename', body, streamId, events: ['BureauRenameDecided'] }
    },
  },
]

for (const route of routes) {
  t.test(route.name, async (t) => {
    t.test('the plan office sends it and the events are recorded', async (t) => {
      const { url, body, streamId, events } = await route.prepare()
      const response = await post(app, url, body)
      t.equal(response.statusCode, 200, response.body)
      t.same(response.json().events, events)
      t.equal(response.json().streamId, streamId)
    })
    t.test('an unknown field is a 400 and records nothing', async (t) => {
      const { url, body, streamId } = await route.prepare()
      const before = await revision(store, streamId)
      const response = await post(app, url, { ...body, colour: 'red' })
      t.equal(response.statusCode, 400)
      t.equal(response.json().error, 'BAD_REQUEST')
      t.match(response.json().message, /colour/)
      t.equal(await revision(store, streamId), before)
    })
    t.test('without a token it is a 401', async (t) => {
      const { url, body } = await route.prepare()
      const response = await post(app, url, body, { token: null })
      t.equal(response.statusCode, 401)
    })
    t.test('any role but the plan office gets a 403', async (t) => {
      const { url, body, streamId } = await route.prepare()
      const before = await revision(store, streamId)
      for (const token of [tokens.bureau, tokens.supervisor, tokens.secretariat, tokens.auditor]) {
        const response = await post(app, url, body, { token })
        t.equal(response.statusCode, 403)
        t.equal(response.json().error, 'FORBIDDEN')
      }
      t.equal(await revision(store, streamId), before, 'nothing recorded')
    })
    t.test('a stale If-Match is a 409 and records nothing', async (t) => {
      const { url, body, streamId } = await route.prepare()
      const before = await revision(store, streamId)
      const response = await post(app, url, body, { headers: { 'if-match': `"${before + 3}"` } })
      t.equal(response.statusCode, 409)
      t.equal(response.json().error, 'REVISION_CONFLICT')
      t.equal(await revision(store, streamId), before)
      const current = await post(app, url, body, { headers: { 'if-match': `"${before}"` } })
      t.equal(current.statusCode, 200, 'the current revision is accepted')
    })
    t.test('text with NUL or a lone surrogate is a 400 naming the field and records nothing', async (t) => {
      const { url, body, streamId } = await route.prepare()
      const field = 'reason' in body ? 'reason' : 'nameZh'
      const before = await revision(store, streamId)
      for (const [bad, problem] of [
        ['划\u0000转', 'a NUL character'],
        ['划\udc00转', 'a lone UTF-16 surrogate'],
      ] as const) {
        const response = await post(app, url, { ...body, [field]: bad })
        t.equal(response.statusCode, 400)
        t.match(response.json(), { error: 'BAD_REQUEST', message: `field '${field}' contains ${problem}` })
      }
      t.equal(await revision(store, streamId), before, 'nothing recorded')
    })
    t.test('a retry with the same Idempotency-Key answers the same and records once', async (t) => {
      const { url, body, streamId } = await route.prepare()
      const key = { 'idempotency-key': fresh('key') }
      const first = await post(app, url, body, { headers: key })
      const after = await revision(store, streamId)
      const second = await post(app, url, body, { headers: key })
      t.equal(first.statusCode, 200, first.body)
      t.same(second.json(), first.json())
      t.equal(await revision(store, streamId), after)
      const reused = await post(app, url, { ...body, effectiveDate: '2015-02-02' }, { headers: key })
      t.equal(reused.statusCode, 422, 'the key with another body is refused')
    })
  })
}
