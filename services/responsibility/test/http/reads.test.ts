import t from 'tap'
import { duty, fresh, get, names, openApp, post, publish, register, tokens } from './helpers.ts'

const { app } = await openApp(t)

t.test('GET /bureaus/:id names the bureau as it was on the day asked', async (t) => {
  const id = fresh('asof')
  await register(app, id, '2015-01-01')
  await post(app, `/bureaus/${id}/rename`, {
    ...names(`${id}-new`),
    effectiveDate: '2017-01-01',
    reason: '更名',
  })
  t.equal((await get(app, `/bureaus/${id}?asOf=2016-06-01`)).json().bureau.nameZh, `${id}局`)
  t.equal((await get(app, `/bureaus/${id}?asOf=2017-01-01`)).json().bureau.nameZh, `${id}-new局`)
  t.equal((await get(app, `/bureaus/${id}`)).json().bureau.nameZh, `${id}-new局`, 'today by default')
  const before = await get(app, `/bureaus/${id}?asOf=2014-12-31`)
  t.equal(before.statusCode, 404)
  t.equal(before.json().error, 'BUREAU_NOT_FOUND')
})

t.test('GET /bureaus lists the bureaus of the day with their duties then', async (t) => {
  const id = fresh('list')
  await register(app, id, '2015-01-01')
  await publish(app, id, [`${id}-D1`], '2016-01-01')
  const early = (await get(app, '/bureaus?asOf=2015-06-01')).json()
  t.same(early.bureaus.find((b: { bureauId: string }) => b.bureauId === id).duties.power, [])
  const later = (await get(app, '/bureaus?asOf=2016-06-01')).json()
  t.same(
    later.bureaus
      .find((b: { bureauId: string }) => b.bureauId === id)
      .duties.power.map((d: { dutyId: string }) => d.dutyId),
    [`${id}-D1`],
  )
})

t.test('a transfer moves the duty on the day, and both lists show it', async (t) => {
  const [a, b] = [fresh('tra'), fresh('trb')]
  await register(app, a)
  await register(app, b)
  await publish(app, a, [`${a}-D`])
  const url = `/bureaus/${a}/lists/power/duties/${a}-D/transfer`
  const moved = await post(app, url, { toBureauId: b, effectiveDate: '2018-01-01', reason: '划转' })
  t.equal(moved.statusCode, 200, moved.body)
  t.same(moved.json().received.events, ['DutyReceived'])
  const on = (day: string) => get(app, `/duties/${a}-D?asOf=${day}`)
  t.equal((await on('2017-12-31')).json().bureauId, a)
  t.equal((await on('2018-01-01')).json().bureauId, b)
  t.equal((await on('2015-06-01')).statusCode, 404)
  const duties = await get(app, `/bureaus/${b}/duties?asOf=2018-01-01&listKind=power`)
  t.same(
    duties.json().duties.power.map((d: { since: string }) => d.since),
    ['2018-01-01'],
  )
  t.same(Object.keys((await get(app, `/bureaus/${b}/duties`)).json().duties), ['power', 'responsibility'])
})

t.test('domain refusals answer with their code, status and details', async (t) => {
  const [a, b] = [fresh('dra'), fresh('drb')]
  await register(app, a)
  await register(app, b)
  await publish(app, a, [`${a}-D`])
  await publish(app, b, [])
  const held = await post(app, `/bureaus/${b}/lists/power/duties`, {
    ...duty(`${a}-D`),
    effectiveDate: '2017-01-01',
    reason: '新增',
  })
  t.equal(held.statusCode, 409)
  t.equal(held.json().error, 'DUTY_HELD_ELSEWHERE')
  t.equal(held.json().details.bureauId, a, 'the details name where the duty is')
  const ghost = await post(app, `/bureaus/${fresh('ghost')}/rename`, {
    ...names('x'),
    effectiveDate: '2017-01-01',
    reason: 'r',
  })
  t.equal(ghost.statusCode, 404)
  t.equal(ghost.json().error, 'BUREAU_NOT_FOUND')
  const badDay = await post(app, `/bureaus/${a}/rename`, {
    ...names('x'),
    effectiveDate: '2017-02-30',
    reason: 'r',
  })
  t.equal(badDay.json().error, 'INVALID_DATE')
  const noReason = await post(app, `/bureaus/${a}/rename`, {
    ...names('x'),
    effectiveDate: '2017-02-01',
    reason: '',
  })
  t.equal(noReason.statusCode, 400)
  const noParent = await post(app, '/bureaus', {
    bureauId: fresh('orphan'),
    ...names('o'),
    kind: '街镇',
    parentId: 'nowhere',
    effectiveDate: '2015-01-01',
  })
  t.equal(noParent.json().error, 'PARENT_NOT_FOUND')
})

t.test('reorganisations are listed, and one can be read by id', async (t) => {
  const [a, b, reorganisationId] = [fresh('rga'), fresh('rgb'), fresh('reform')]
  await register(app, a)
  await register(app, b)
  const body = {
    reorganisationId,
    fromBureauIds: [a],
    intoBureauId: b,
    effectiveDate: '2019-01-01',
    reason: '机构改革',
  }
  t.equal((await post(app, '/reorganisations/merge', body)).statusCode, 200)
  const all = (await get(app, '/reorganisations')).json().reorganisations
  t.ok(
    all.some(
      (r: { reorganisationId: string; status: string }) =>
        r.reorganisationId === reorganisationId && r.status === 'decided',
    ),
  )
  const one = await get(app, `/reorganisations/${reorganisationId}`)
  t.equal(one.json().type, 'BureausMerged')
  t.equal((await get(app, `/reorganisations/${fresh('none')}`)).json().error, 'REORGANISATION_NOT_FOUND')
})

t.test('every role reads; without a token no one does; queries are validated', async (t) => {
  const id = fresh('read')
  await register(app, id)
  const urls = ['/bureaus', `/bureaus/${id}`, `/bureaus/${id}/duties`, '/reorganisations']
  for (const token of Object.values(tokens)) {
    for (const url of urls) t.equal((await get(app, url, token)).statusCode, 200, url)
  }
  for (const url of urls) t.equal((await get(app, url, null)).statusCode, 401, url)
  t.equal((await get(app, '/bureaus?asOf=yesterday')).statusCode, 400)
  for (const url of [...urls.slice(0, 3), `/duties/${id}-D`]) {
    const impossible = await get(app, `${url}?asOf=2019-02-30`)
    t.equal(impossible.statusCode, 400, `${url}: a day the calendar lacks`)
    t.equal(impossible.json().error, 'INVALID_DATE')
  }
  t.equal((await get(app, '/bureaus?colour=red')).statusCode, 400)
  t.equal((await get(app, `/bureaus/${id}/duties?listKind=other`)).statusCode, 400)
})

t.test('the OpenAPI document describes every route', async (t) => {
  const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json()
  const paths = Object.keys(doc.paths)
  for (const path of [
    '/responsibility/bureaus',
    '/responsibility/bureaus/{bureauId}/rename',
    '/responsibility/bureaus/{bureauId}/lists/{listKind}',
    '/responsibility/bureaus/{bureauId}/lists/{listKind}/duties/{dutyId}/transfer',
    '/responsibility/reorganisations/split',
    '/responsibility/duties/{dutyId}',
  ]) {
    t.ok(paths.includes(path), path)
  }
})
