import type { Context } from 'koa';
import { decoyPasswordHash, verifyPassword } from '../staff/passwords';
import { Staff, type StaffDocument } from '../staff/staff.model';
import { AppError, tooManyRequests } from '../platform/errors';

/** An address may fail more often than one account: several officers share a station's NAT. */
const IP_FAILURE_MULTIPLIER = 4;

/**
 * Username + password. Every attempt is counted first, per account and per client address, across all
 * instances; then the count decides. Counting before checking means parallel guesses cannot all slip
 * in before the first is counted: at most the limit get a password check in any window.
 */
export async function verifyStaffLogin(ctx: Context, username: string, password: string): Promise<StaffDocument> {
  const { loginFailures: attempts, config } = ctx.services;
  const userKey = `staff-login:user:${username}`;
  const ipKey = `staff-login:ip:${ctx.ip}`;

  const thisAttempt = await Promise.all([attempts.record(userKey), attempts.record(ipKey)]);
  const [byUser, byIp] = await Promise.all([
    attempts.status(userKey, config.LOGIN_MAX_FAILURES),
    attempts.status(ipKey, config.LOGIN_MAX_FAILURES * IP_FAILURE_MULTIPLIER),
  ]);
  const wait = Math.max(byUser.retryAfterSeconds, byIp.retryAfterSeconds);
  if (wait > 0) throw tooManyRequests('LOGIN_RATE_LIMITED', `登录失败次数过多，请 ${Math.ceil(wait / 60)} 分钟后再试`, wait);

  const staff = await Staff.findOne({ username });
  const ok = await verifyPassword(staff?.passwordHash ?? (await decoyPasswordHash(config.PASSWORD_HASH_COST)), password);
  if (!staff || !ok) {
    ctx.state.log.warn({ username }, 'staff login failed');
    throw new AppError(401, 'INVALID_CREDENTIALS', '用户名或密码错误');
  }
  if (staff.disabled) throw new AppError(403, 'ACCOUNT_DISABLED', '该账号已停用，请联系管理员');

  // A good login clears the account's failures and does not count against the shared address.
  await Promise.all([attempts.reset(userKey), attempts.discard(thisAttempt)]);
  staff.lastLoginAt = new Date();
  await staff.save();
  return staff;
}
