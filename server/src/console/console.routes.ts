import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Router from '@koa/router';
import send from 'koa-send';
import { contract } from '../platform/contract';
import { AppError } from '../platform/errors';
import { REPO_ROOT } from '../platform/paths';

export const DEFAULT_CONSOLE_DIST = join(REPO_ROOT, 'server/console/dist');

/**
 * The dispatcher console: a Vite-built single-page app served from disk under /console. Hashed
 * assets are cached for good; index.html never, so a deploy is picked up on the next load.
 */
export function consoleRoutes(distDir: string = DEFAULT_CONSOLE_DIST): Router {
  // strict: `/console` and `/console/` are different routes (the first redirects to the second).
  const router = new Router({ strict: true });
  const CSP = [
    "default-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

  const toConsole = contract({ summary: '跳转到接警台页面 /console/', successStatus: 302 });
  router.get('/', toConsole, (ctx) => ctx.redirect('/console/'));
  router.get('/console', toConsole, (ctx) => ctx.redirect('/console/'));
  router.get('/console/{*path}', contract({ summary: '接警台页面及其静态资源', responseMediaType: 'text/html', internal: true }), async (ctx) => {
    if (!existsSync(join(distDir, 'index.html'))) {
      throw new AppError(503, 'SERVICE_UNAVAILABLE', '接警台页面尚未构建：请运行 npm run build:console');
    }
    const relative = ctx.path.slice('/console/'.length);
    const isAsset = relative.startsWith('assets/');
    ctx.set('Content-Security-Policy', CSP);
    if (isAsset) {
      await send(ctx, relative, { root: distDir, immutable: true, maxage: 365 * 24 * 3600 * 1000 });
      return;
    }
    // Any other path is a client-side route: answer with the app shell.
    ctx.set('Cache-Control', 'no-cache');
    await send(ctx, 'index.html', { root: distDir });
  });
  return router;
}
