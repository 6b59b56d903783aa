import path from 'node:path';
import express, { Router } from 'express';
import { absolutePath } from 'swagger-ui-dist';
import { OPENAPI_PATH } from '../../platform/openapi-document';
import { PROJECT_ROOT } from '../../platform/project-root';
import { pageSecurityHeaders } from '../../platform/security-headers';

/** The files of swagger-ui-dist the page loads; nothing else of the package is served. */
const DOCS_ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js'];
const ASSET_MAX_AGE = '1h';

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
  // No badge from validator.swagger.io: the page makes no outside requests.
  validatorUrl: null,
});`;

export const CONSOLE_DIR = path.join(PROJECT_ROOT, 'console');

/** What `GET /` answers: where a newcomer goes next. */
const HOME = {
  name: 'Ticket Gateway',
  docs: '/docs',
  console: '/console',
  openapi: '/docs/openapi.yaml',
  health: '/healthz',
};

/**
 * `/` (where to go next), `/docs` (the API reference) and `/console` (the staff console): pages that need
 * no key, the last two each with its Content-Security-Policy.
 */
export function pageRoutes(): Router {
  const router = Router()
    .get('/', (_req, res) => {
      res.json(HOME);
    })
    .use('/docs', pageSecurityHeaders())
    .use('/console', pageSecurityHeaders())
    .get('/docs', (_req, res) => {
      res.type('html').send(DOCS_PAGE);
    })
    .get('/docs/init.js', (_req, res) => {
      res.type('application/javascript').send(DOCS_SCRIPT);
    })
    .get('/docs/openapi.yaml', (_req, res) => {
      res.type('application/yaml').sendFile(OPENAPI_PATH);
    })
    .use('/console', express.static(CONSOLE_DIR, { index: 'index.html' }));
  for (const asset of DOCS_ASSETS) {
    router.get(`/docs/assets/${asset}`, (_req, res) => {
      res.sendFile(path.join(absolutePath(), asset), { maxAge: ASSET_MAX_AGE });
    });
  }
  return router;
}
