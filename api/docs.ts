/**
 * GET /docs: the API reference, Redoc rendering GET /v1/openapi.json — the very document the
 * routes are built from. Redoc's standalone bundle is served from node_modules at
 * /docs/redoc.standalone.js, never from a CDN: the page works offline and sends nothing to a
 * third party. Helmet's default CSP is loosened here only as far as Redoc needs: styles it
 * injects at run time, its search index in a worker made from a blob, and `data:` images.
 * The bundle starts by itself on the <redoc spec-url> element, so the page has no inline script.
 */
import { readFile } from 'node:fs/promises';
import { Router, type Request, type Response } from 'express';

const REDOC_BUNDLE = require.resolve('redoc/bundles/redoc.standalone.js');
/**
 * Redoc's sidebar footer shows a logo fetched from cdn.redoc.ly, whatever the options. Pointed
 * at an empty data: URL it fails to load and Redoc drops the image (its onError), so the page
 * asks nothing of a third party; the CSP would refuse it anyway.
 */
const REDOC_CDN_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';

let redocBundle: Promise<string> | undefined;
function localRedocBundle(): Promise<string> {
  redocBundle ??= readFile(REDOC_BUNDLE, 'utf8').then((source) => source.replaceAll(REDOC_CDN_LOGO, 'data:,'));
  return redocBundle;
}

const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  'worker-src blob:',
  "connect-src 'self'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Greenlight API reference</title>
</head>
<body>
<redoc spec-url="/v1/openapi.json"></redoc>
<script src="/docs/redoc.standalone.js"></script>
</body>
</html>
`;

export function createDocsRouter(): Router {
  const router = Router();
  router.use((_req: Request, res: Response, next) => {
    res.set('Content-Security-Policy', DOCS_CSP);
    next();
  });
  router.get('/', (_req: Request, res: Response) => {
    res.type('html').send(PAGE);
  });
  router.get('/redoc.standalone.js', async (_req: Request, res: Response) => {
    res.type('js').set('Cache-Control', 'public, max-age=86400').send(await localRedocBundle());
  });
  return router;
}
