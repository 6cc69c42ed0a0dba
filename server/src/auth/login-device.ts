import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import type { Config } from '../config';

/** Sent only with login requests: nothing else needs it. */
const LOGIN_PATH = '/api/v1/staff/login';

/**
 * The "device cookie" (OWASP): after a good login, the browser keeps a signed, long-lived cookie naming
 * the account and a random device id. With it, that browser's attempts at that account are counted
 * per device, not against the account, so someone else's failures cannot lock the owner out of their
 * usual browser. See staff-login.ts.
 */
export function deviceCookieName(config: Config, username: string): string {
  // One cookie per account (officers share a station's PCs); a hash keeps the name a valid token.
  return `${config.STAFF_COOKIE_NAME}_device_${createHash('sha256').update(username).digest('hex').slice(0, 16)}`;
}

/** The device id this browser holds for `username`, if it holds a valid one for exactly that account. */
export function trustedDevice(ctx: Context, username: string): string | null {
  const { config, tokens } = ctx.services;
  const raw = ctx.cookies.get(deviceCookieName(config, username));
  if (!raw) return null;
  try {
    const claims = tokens.verify(raw, 'login_device');
    return claims.sub === username ? claims.jti : null;
  } catch {
    return null; // expired, forged or foreign: an ordinary client
  }
}

/** A fresh device id after every good login (OWASP: a device cookie is reissued on success). */
export function rememberDevice(ctx: Context, username: string): void {
  const { config, tokens } = ctx.services;
  const device = tokens.signLoginDevice(username);
  ctx.cookies.set(deviceCookieName(config, username), device.token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: config.cookieSecure,
    path: LOGIN_PATH,
    expires: device.expiresAt,
    overwrite: true,
  });
}
