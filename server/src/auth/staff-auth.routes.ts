import Router from '@koa/router';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { toStaffProfile, Staff } from '../staff';
import { audit } from '../platform/audit/audit';
import { contract } from '../platform/contract';
import { notFound } from '../platform/errors';
import { body } from '../platform/validate';
import { rememberDevice } from './login-device';
import { requireRole } from './require-role';
import { staffLoginSchema } from './schemas';
import { verifyStaffLogin } from './staff-login';

export function staffAuthRoutes(): Router {
  const router = new Router({ prefix: '/api/v1/staff' });

  router.post('/login', contract({ summary: '工作人员登录：用户名与密码，成功后设置会话 Cookie', body: staffLoginSchema }), async (ctx) => {
    const { username, password } = body(ctx, staffLoginSchema);
    const staff = await verifyStaffLogin(ctx, username, password);
    const { config, tokens } = ctx.services;
    const session = tokens.signStaffSession(staff.id as string, staff.role, staff.sessionVersion);
    ctx.cookies.set(config.STAFF_COOKIE_NAME, session.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: config.cookieSecure,
      path: '/',
      expires: session.expiresAt,
      overwrite: true,
    });
    rememberDevice(ctx, staff.username);
    // Who was at the desk when: a staff action like any other. Failed guesses are not chained (an
    // attacker could flood the log); the login lock and the request log keep them.
    await audit({ actor: { kind: staff.role, id: String(staff.id), username: staff.username }, action: 'staff.login', target: { kind: 'staff', id: String(staff.id) } });
    ctx.state.log.info({ staffId: staff.id, role: staff.role }, 'staff logged in');
    ctx.body = { staff: toStaffProfile(staff), expiresAt: session.expiresAt.toISOString() } satisfies ResponseBody<'POST /api/v1/staff/login'>;
  });

  // Logging out ends every session of the account (bumps sessionVersion), so a copied cookie dies too.
  router.post('/logout', contract({ summary: '工作人员退出登录：结束该账号的所有会话并清除 Cookie' }), async (ctx) => {
    const { config, tokens } = ctx.services;
    const cookie = ctx.cookies.get(config.STAFF_COOKIE_NAME);
    if (cookie) {
      try {
        const claims = tokens.verify(cookie, 'staff_session');
        const ended = await Staff.updateOne({ _id: claims.sub, sessionVersion: claims.ver }, { $inc: { sessionVersion: 1 } });
        if (ended.modifiedCount === 1) await audit({ actor: { kind: claims.role, id: claims.sub }, action: 'staff.logout', target: { kind: 'staff', id: claims.sub } });
      } catch {
        // An expired or foreign cookie has nothing left to end; clearing it is enough.
      }
    }
    ctx.cookies.set(config.STAFF_COOKIE_NAME, null, { httpOnly: true, sameSite: 'strict', secure: config.cookieSecure, path: '/', overwrite: true });
    ctx.body = { ok: true } satisfies ResponseBody<'POST /api/v1/staff/logout'>;
  });

  router.get('/me', contract({ summary: '当前登录的工作人员' }), requireRole('dispatcher', 'officer', 'reviewer', 'ops'), async (ctx) => {
    const staff = await Staff.findById(ctx.state.principal.id).lean();
    if (!staff) throw notFound('账号不存在');
    ctx.body = toStaffProfile(staff) satisfies ResponseBody<'GET /api/v1/staff/me'>;
  });

  return router;
}
