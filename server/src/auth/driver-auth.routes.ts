import Router from '@koa/router';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { contract } from '../platform/contract';
import { body } from '../platform/validate';
import { revokeDriverSession, rotateDriverSession } from './driver-sessions';
import { refreshSchema, wechatLoginSchema } from './schemas';
import type { TokenService } from './tokens';
import { loginWithWechatCode } from './wechat-login';

export function driverAuthRoutes(): Router {
  const router = new Router({ prefix: '/api/v1/auth' });

  router.post('/wechat-login', contract({ summary: '驾驶人微信登录：用 wx.login 的 code 换取访问令牌与刷新令牌', body: wechatLoginSchema, errors: [502, 503] }), async (ctx) => {
    const { code } = body(ctx, wechatLoginSchema);
    ctx.body = (await loginWithWechatCode(ctx, code)) satisfies ResponseBody<'POST /api/v1/auth/wechat-login'>;
  });

  router.post('/refresh', contract({ summary: '用刷新令牌换一对新令牌（旧刷新令牌随即作废）', body: refreshSchema }), async (ctx) => {
    const { refreshToken } = body(ctx, refreshSchema);
    ctx.body = (await rotateDriverSession(refreshToken, ctx.services)) satisfies ResponseBody<'POST /api/v1/auth/refresh'>;
  });

  // Ends the session of the refresh token and of the access token sent with it (the phone sends both).
  router.post('/logout', contract({ summary: '驾驶人退出登录：结束该刷新令牌及同时发送的访问令牌所属会话', body: refreshSchema }), async (ctx) => {
    const { refreshToken } = body(ctx, refreshSchema);
    const bearer = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1];
    await revokeDriverSession(refreshToken, bearer ? sessionOf(ctx.services.tokens, bearer) : null, ctx.services);
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
