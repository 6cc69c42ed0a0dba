import type { Context, Middleware } from 'koa';
import type { Role } from '../../../typings/api/auth';
import { Staff } from '../staff';
import { AppError, forbidden, unauthenticated } from '../platform/errors';
import type { Principal } from './principal';
import { withSecurity } from '../platform/contract';
import { isSessionRevokedRecently, sessionRevoked } from './revoked-sessions';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The console sends this on every write; a cross-site form cannot set a custom header. */
export const CONSOLE_REQUEST_HEADER = 'x-console-request';

/**
 * The one middleware that guards a route: who are you (401 if nobody or an expired token), and is
 * your role one of these (403 if not). Drivers authenticate with a Bearer JWT, refused once its session
 * has ended; staff with the session cookie, re-checked against their account so a disabled account is
 * locked out at once.
 */
export function requireRole(...roles: Role[]): Middleware {
  const guard: Middleware = async (ctx, next) => {
    const principal = await authenticate(ctx);
    if (!roles.includes(principal.role)) throw forbidden();
    ctx.state.principal = principal;
    await next();
  };
  return withSecurity(guard, { roles });
}

async function authenticate(ctx: Context): Promise<Principal> {
  const { tokens, config } = ctx.services;
  const bearer = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1];
  if (bearer) {
    const claims = tokens.verify(bearer, 'driver_access');
    // A logged-out session's access tokens are refused before they expire (a primary-key read, shared
    // for a few seconds and forgotten when any instance revokes the session).
    if (await isSessionRevokedRecently(claims.sid)) throw sessionRevoked();
    return { kind: 'driver', id: claims.sub, role: 'driver' };
  }
  const cookie = ctx.cookies.get(config.STAFF_COOKIE_NAME);
  if (!cookie) throw unauthenticated();
  const claims = tokens.verify(cookie, 'staff_session');
  if (!SAFE_METHODS.has(ctx.method) && ctx.get(CONSOLE_REQUEST_HEADER) !== '1') {
    throw new AppError(403, 'CSRF_REJECTED', '请求来源无法确认，请刷新页面后重试');
  }
  // Only what the check needs (not the password hash and the rest of the record).
  const staff = await Staff.findById(claims.sub, { disabled: 1, sessionVersion: 1, role: 1, username: 1, brigadeCode: 1, displayName: 1 }).lean();
  if (!staff || staff.disabled || staff.sessionVersion !== claims.ver) throw unauthenticated('会话已失效，请重新登录');
  return { kind: 'staff', id: String(staff._id), role: staff.role, username: staff.username, brigadeCode: staff.brigadeCode ?? null, displayName: staff.displayName };
}
