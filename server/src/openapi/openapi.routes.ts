import { dirname, join } from 'node:path';
import Router from '@koa/router';
import type { ResponseBody } from '../../../typings/api/endpoints';
import send from 'koa-send';
import { contract } from '../platform/contract';
import { notFound } from '../platform/errors';
import { REPO_ROOT } from '../platform/paths';
import { buildOpenApiDocument, type OpenApiDocument } from './document';

const VIEWER_DIR = join(REPO_ROOT, 'server/src/openapi/viewer');
const SWAGGER_UI_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));
/** The viewer's files: our page's initializer, and only the parts of swagger-ui-dist it loads. */
const ASSETS: Record<string, string> = {
  'docs-init.js': VIEWER_DIR,
  'swagger-ui-bundle.js': SWAGGER_UI_DIR,
  'swagger-ui.css': SWAGGER_UI_DIR,
  'favicon-32x32.png': SWAGGER_UI_DIR,
};
/** Swagger UI styles inline and draws icons as data: SVG; scripts come from this origin only. */
const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The published contract: GET /api/openapi.json, built once from `routers()` — the very list the app
 * mounts, this router included — and GET /api/docs, Swagger UI served from our own node_modules.
 */
export function openApiRoutes(routers: () => readonly Router[]): Router {
  const router = new Router({ prefix: '/api' });
  let document: OpenApiDocument | undefined;

  router.get('/openapi.json', contract({ summary: '本服务的 OpenAPI 3.1 文档（由各路由的契约生成）' }), (ctx) => {
    const { config } = ctx.services;
    document ??= buildOpenApiDocument(routers(), { staffCookieName: config.STAFF_COOKIE_NAME, publicUrl: config.PUBLIC_URL });
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = document satisfies ResponseBody<'GET /api/openapi.json'>;
  });

  router.get('/docs', contract({ summary: 'API 文档页面（Swagger UI）', responseMediaType: 'text/html' }), async (ctx) => {
    ctx.set('Content-Security-Policy', DOCS_CSP);
    ctx.set('Cache-Control', 'no-cache');
    await send(ctx, 'docs.html', { root: VIEWER_DIR });
  });

  router.get('/docs/:file', contract({ summary: 'API 文档页面的脚本与样式', internal: true }), async (ctx) => {
    const file = ctx.params.file ?? '';
    const root = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!root) throw notFound();
    ctx.set('Content-Security-Policy', DOCS_CSP);
    await send(ctx, file, { root, maxage: 3600_000 });
  });
  return router;
}
