// /docs: the API reference, rendered in the browser by Swagger UI from /openapi.json. Its
// script and styles come from this Worker's static assets (no CDN), so the page works offline.
import { type Context, Hono } from 'hono';
import type { AppEnv } from '../../env';

const files = { 'swagger-ui.css': 'text/css; charset=utf-8', 'swagger-ui-bundle.js': 'text/javascript; charset=utf-8' } as const;
type DocsFile = keyof typeof files;

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Exactly API reference</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
<style>body{margin:0}.swagger-ui .topbar{display:none}</style>
</head>
<body>
<div id="reference"></div>
<noscript>The reference needs JavaScript. The OpenAPI document itself is at <a href="/openapi.json">/openapi.json</a>.</noscript>
<script src="/docs/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#reference', deepLinking: true });
</script>
</body>
</html>`;

/** Forwards one of the bundle's files from the static assets, with its type. */
const asset = (file: DocsFile) => async (c: Context<AppEnv>) => {
  const found = await c.env.ASSETS.fetch(new URL(`/${file}`, c.req.url));
  if (!found.ok) return found;
  return new Response(found.body, { headers: { 'content-type': files[file], 'cache-control': 'public, max-age=86400', 'x-content-type-options': 'nosniff' } });
};

export const docsRoutes = new Hono<AppEnv>()
  .get('/', (c) => c.html(page))
  .get('/swagger-ui.css', asset('swagger-ui.css'))
  .get('/swagger-ui-bundle.js', asset('swagger-ui-bundle.js'));
