// /docs: the API reference, rendered in the browser by Swagger UI from /openapi.json. Its
// script and styles come from this Worker's static assets (no CDN), so the page works offline.
import { Hono } from 'hono';
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
window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#reference', deepLinking: true, persistAuthorization: true });
</script>
</body>
</html>`;

export const docsRoutes = new Hono<AppEnv>()
  .get('/', (c) => c.html(page))
  .get('/:file{swagger-ui\\.css|swagger-ui-bundle\\.js}', async (c) => {
    const file = c.req.param('file') as DocsFile;
    const asset = await c.env.ASSETS.fetch(new URL(`/${file}`, c.req.url));
    if (!asset.ok) return asset;
    return new Response(asset.body, { headers: { 'content-type': files[file], 'cache-control': 'public, max-age=86400', 'x-content-type-options': 'nosniff' } });
  });
