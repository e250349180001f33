import { createReadStream } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { FastifyInstance } from 'fastify'

const require = createRequire(import.meta.url)
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`))
const script = 'text/javascript; charset=utf-8'

/** Every file the IDE page loads, served from the npm packages installed with the gateway. */
const assets: Record<string, { path: string; type: string }> = {
  'graphiql.min.css': {
    path: join(packageDir('graphiql'), 'graphiql.min.css'),
    type: 'text/css; charset=utf-8',
  },
  'graphiql.min.js': { path: join(packageDir('graphiql'), 'graphiql.min.js'), type: script },
  'react.production.min.js': {
    path: join(packageDir('react'), 'umd', 'react.production.min.js'),
    type: script,
  },
  'react-dom.production.min.js': {
    path: join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'),
    type: script,
  },
}

// The endpoint is found relative to the page, so the IDE works under any prefix.
const startScript = `(function () {
  var url = new URL('graphql', window.location.href).toString();
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: GraphiQL.createFetcher({ url: url }),
    defaultEditorToolsVisibility: 'headers',
    defaultHeaders: '{\\n  "Authorization": "Bearer <a token: pnpm coord token --role auditor>"\\n}',
    shouldPersistHeaders: false
  }));
})();
`

const page = `<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8" />
    <title>GraphQL · 协同平台</title>
    <link rel="stylesheet" href="graphiql/assets/graphiql.min.css" />
  </head>
  <body style="margin: 0">
    <div id="graphiql" style="height: 100vh">Loading…</div>
    <script src="graphiql/assets/react.production.min.js"></script>
    <script src="graphiql/assets/react-dom.production.min.js"></script>
    <script src="graphiql/assets/graphiql.min.js"></script>
    <script src="graphiql/assets/start.js"></script>
  </body>
</html>
`

/** Nothing leaves the origin: intranets have no CDN. GraphiQL sets inline styles, hence that one. */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * GraphiQL at `graphiql` under the prefix it is registered at, for development: the page and its
 * scripts and styles come from this server (the graphiql, react and react-dom packages), never a CDN.
 */
export function idePlugin(app: FastifyInstance): Promise<void> {
  app.get('/graphiql', { schema: { hide: true } }, (_request, reply) =>
    reply
      .header('content-security-policy', contentSecurityPolicy)
      .type('text/html; charset=utf-8')
      .send(page),
  )
  app.get('/graphiql/assets/start.js', { schema: { hide: true } }, (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').send(startScript),
  )
  app.get<{ Params: { file: string } }>(
    '/graphiql/assets/:file',
    { schema: { hide: true } },
    (request, reply) => {
      const asset = Object.hasOwn(assets, request.params.file) ? assets[request.params.file] : undefined
      if (!asset) return reply.callNotFound()
      return reply
        .header('cache-control', 'public, max-age=86400')
        .type(asset.type)
        .send(createReadStream(asset.path))
    },
  )
  return Promise.resolve()
}
