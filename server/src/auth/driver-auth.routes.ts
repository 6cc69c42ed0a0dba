import Router from '@koa/router';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { body } from '../platform/validate';
import { revokeDriverSession, rotateDriverSession } from './driver-sessions';
import { refreshSchema, wechatLoginSchema } from './schemas';
import type { TokenService } from './tokens';
import { loginWithWechatCode } from './wechat-login';

export function driverAuthRoutes(): Router {
  const router = new Router({ prefix: '/api/v1/auth' });

  router.post('/wechat-login', async (ctx) => {
    const { code } = body(ctx, wechatLoginSchema);
    ctx.body = (await loginWithWechatCode(ctx, code)) satisfies ResponseBody<'POST /api/v1/auth/wechat-login'>;
  });

  router.post('/refresh', async (ctx) => {
    const { refreshToken } = body(ctx, refreshSchema);
    const { tokens, config } = ctx.services;
    ctx.body = (await rotateDriverSession(refreshToken, tokens, config)) satisfies ResponseBody<'POST /api/v1/auth/refresh'>;
  });

  // Ends the session of the refresh token and of the access token sent with it (the phone sends both).
  router.post('/logout', async (ctx) => {
    const { refreshToken } = body(ctx, refreshSchema);
    const { tokens, config } = ctx.services;
    const bearer = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1];
    await revokeDriverSession(refreshToken, bearer ? sessionOf(tokens, bearer) : null, config);
    ctx.body = { ok: true } satisfies ResponseBody<'POST /api/v1/auth/logout'>;
  });

  return router;
}

function sessionOf(tokens: TokenService, bearer: string): string | null {
  try {
    return tokens.verify(bearer, 'driver_access').sid;
  } catch {
    return null; // expired or not ours: nothing left to end with it
  }
}
