import type { Middleware } from 'koa';
import { requireRole } from '../auth';
import { Driver } from '../drivers';
import { AppError } from '../platform/errors';
import { withSecurity } from '../platform/contract';

/** Guards every case endpoint: a driver who has passed real-person verification, or 403. */
export function requireVerifiedDriver(): Middleware {
  const driverOnly = requireRole('driver');
  const guard: Middleware = (ctx, next) =>
    driverOnly(ctx, async () => {
      const driver = await Driver.findById(ctx.state.principal.id, { verification: 1 }).lean();
      if (driver?.verification !== 'verified') throw new AppError(403, 'VERIFICATION_REQUIRED', '请先完成实人认证（我的 → 实人认证）');
      await next();
    });
  return withSecurity(guard, { roles: ['driver'], verifiedDriver: true });
}
