import path from 'node:path';
import express, { Router } from 'express';
import { absolutePath } from 'swagger-ui-dist';
import { OPENAPI_PATH } from '../../platform/openapi-document';
import { PROJECT_ROOT } from '../../platform/project-root';

/** The API reference: Swagger UI from its installed package (no CDN), reading the spec the gateway enforces. */
const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Ticket Gateway API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="reference"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;

const DOCS_SCRIPT = `window.ui = SwaggerUIBundle({
  url: '/docs/openapi.yaml',
  dom_id: '#reference',
  deepLinking: true,
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
  persistAuthorization: false,
});`;

export const CONSOLE_DIR = path.join(PROJECT_ROOT, 'console');

/** `/docs` (the API reference) and `/console` (the staff console): static pages that need no key. */
export function pageRoutes(): Router {
  return Router()
    .get('/docs', (_req, res) => {
      res.type('html').send(DOCS_PAGE);
    })
    .get('/docs/init.js', (_req, res) => {
      res.type('application/javascript').send(DOCS_SCRIPT);
    })
    .get('/docs/openapi.yaml', (_req, res) => {
      res.type('application/yaml').sendFile(OPENAPI_PATH);
    })
    .use('/docs/assets', express.static(absolutePath(), { index: false, maxAge: '1h' }))
    .use('/console', express.static(CONSOLE_DIR, { index: 'index.html' }));
}
