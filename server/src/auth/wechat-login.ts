import type { Context } from 'koa';
import type { DriverSession } from '../../../typings/api/auth';
import { UpstreamUnavailableError } from '../clients/http/fetch-json';
import { WechatApiError } from '../clients/wechat/wechat-error';
import { WECHAT_ERRCODE } from '../clients/wechat/wechat.types';
import { upsertDriverByOpenid } from '../drivers';
import { AppError, upstreamUnavailable } from '../platform/errors';
import { issueDriverSession } from './driver-sessions';

/** wx.login code → WeChat jscode2session → our driver record → our session. */
export async function loginWithWechatCode(ctx: Context, code: string): Promise<DriverSession> {
  const { wechat, tokens, config } = ctx.services;
  let identity;
  try {
    identity = await wechat.code2Session(code);
  } catch (err) {
    throw toLoginError(ctx, err);
  }
  const driver = await upsertDriverByOpenid(identity.openid, identity.unionid);
  return issueDriverSession(driver, tokens, config);
}

function toLoginError(ctx: Context, err: unknown): unknown {
  if (err instanceof UpstreamUnavailableError) {
    ctx.state.log.warn({ err }, 'wechat unavailable during login');
    return upstreamUnavailable('微信登录服务暂时不可用，请稍后再试');
  }
  if (!(err instanceof WechatApiError)) return err;
  switch (err.errcode) {
    case WECHAT_ERRCODE.INVALID_CODE:
    case WECHAT_ERRCODE.CODE_USED:
      return new AppError(401, 'WECHAT_CODE_INVALID', '登录凭证已失效，请重新进入小程序');
    case WECHAT_ERRCODE.RATE_LIMITED:
      return new AppError(429, 'WECHAT_RATE_LIMITED', '登录太频繁，请一分钟后再试', { retryAfterSeconds: 60 });
    case WECHAT_ERRCODE.HIGH_RISK_USER:
      return new AppError(403, 'WECHAT_USER_BLOCKED', '微信判定该账号存在风险，暂时无法登录，请联系微信客服');
    case WECHAT_ERRCODE.SYSTEM_BUSY:
      return upstreamUnavailable('微信系统繁忙，请稍后再试');
    default:
      // 40013 / 40125 and the like are our own misconfiguration: page the operator, not the driver.
      ctx.state.log.error({ errcode: err.errcode, errmsg: err.errmsg }, 'wechat rejected our credentials');
      return new AppError(502, 'UPSTREAM_MISCONFIGURED', '登录服务配置异常，我们正在处理，请稍后再试');
  }
}
