import type { Context } from 'koa';
import { DateTime } from 'luxon';
import { decoyPasswordHash, verifyPassword, Staff, type StaffDocument } from '../staff';
import { AppError, tooManyRequests } from '../platform/errors';
import { SERVICE_TIME_ZONE } from '../platform/time';
import { trustedDevice } from './login-device';
import { claimAttempt, clearAttempts, forgetOldAttempts, lockPolicy, lockedUntil } from './login-lock';

/**
 * Username + password, guarded by a lock per account with exponential back-off (login-lock.ts).
 *
 * A browser that has signed in to the account before (its device cookie, login-device.ts) is judged by
 * its own failures first, so a stranger's guesses cannot lock the owner out of their usual browser; once
 * it has spent its own allowance it is an ordinary client, judged by the account's lock.
 *
 * There is deliberately no lock per address. Officers share a station's NAT, so an address lock lets
 * any one of them (or a guesser behind it) lock out everyone there; and a throttle that never refused a
 * right password would have to check every password first, which stops nothing. What bounds guessing
 * is the account lock: LOGIN_MAX_FAILURES guesses, then a lock doubling up to LOGIN_LOCK_MAX_SECONDS
 * (with the defaults some 150 guesses a day per account, against passwords of 12 characters or more).
 * Spraying one password over many accounts is bounded the same way, per account. The cost: the owner,
 * on a browser they have never used, waits out a lock someone else caused, and is told until when.
 */
export async function verifyStaffLogin(ctx: Context, username: string, password: string): Promise<StaffDocument> {
  const { config } = ctx.services;
  const now = ctx.services.clock().getTime();
  const policy = lockPolicy(config);
  const accountKey = `user:${username}`;
  const device = trustedDevice(ctx, username);

  // Claimed before the password is checked, so parallel guesses cannot all get a check.
  let key: string | null = null;
  let until = Infinity;
  for (const candidate of device ? [`device:${device}`, accountKey] : [accountKey]) {
    const result = await claimAttempt(candidate, now, policy);
    if (result.claimed) {
      key = candidate;
      break;
    }
    until = Math.min(until, result.lockedUntil);
  }
  if (!key) throw tooManyRequests('LOGIN_RATE_LIMITED', `登录失败次数过多，${tryAgainAt(until, now)}`, waitSeconds(until, now));

  const staff = await Staff.findOne({ username });
  const ok = await verifyPassword(staff?.passwordHash ?? (await decoyPasswordHash(config.PASSWORD_HASH_COST)), password);
  if (!staff || !ok) {
    ctx.state.log.warn({ username, trustedDevice: Boolean(device) }, 'staff login failed');
    await forgetOldAttempts(now, policy);
    // A trusted browser that used up its own allowance is not locked: it is judged by the account next.
    const lockedTill = key === accountKey ? await lockedUntil(key, now, policy) : 0;
    if (lockedTill > 0) {
      ctx.state.log.warn({ username, until: new Date(lockedTill).toISOString() }, 'staff account locked');
      throw new AppError(401, 'INVALID_CREDENTIALS', `用户名或密码错误。失败次数过多，${tryAgainAt(lockedTill, now)}`, {
        retryAfterSeconds: waitSeconds(lockedTill, now),
      });
    }
    throw new AppError(401, 'INVALID_CREDENTIALS', '用户名或密码错误');
  }
  if (staff.disabled) throw new AppError(403, 'ACCOUNT_DISABLED', '该账号已停用，请联系管理员');

  // Only what was judged starts afresh: the owner's browser getting in does not reopen the account to others.
  await clearAttempts(key);
  staff.lastLoginAt = new Date();
  await staff.save();
  return staff;
}

function waitSeconds(until: number, now: number): number {
  return Math.max(1, Math.ceil((until - now) / 1000));
}

/** 「请于 14:32 后再试（约 3 分钟）」, Beijing time, the minute rounded up so it is never too early. */
function tryAgainAt(until: number, now: number): string {
  let at = DateTime.fromMillis(until, { zone: SERVICE_TIME_ZONE });
  if (at.second > 0 || at.millisecond > 0) at = at.startOf('minute').plus({ minutes: 1 });
  const sameDay = at.hasSame(DateTime.fromMillis(now, { zone: SERVICE_TIME_ZONE }), 'day');
  const seconds = waitSeconds(until, now);
  const about = seconds < 60 ? `${seconds} 秒` : `${Math.ceil(seconds / 60)} 分钟`;
  return `请于 ${sameDay ? at.toFormat('HH:mm') : at.toFormat('M月d日 HH:mm')} 后再试（约 ${about}）`;
}
