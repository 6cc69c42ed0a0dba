import type { Context } from 'koa';
import type { Principal } from './principal';
import { Staff } from '../staff/staff.model';

type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;

export interface StreamSession {
  version: number;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** The session a long-lived stream was opened with (after requireRole accepted its cookie). */
export function streamSession(ctx: Context): StreamSession {
  const { tokens, config } = ctx.services;
  const claims = tokens.verify(ctx.cookies.get(config.STAFF_COOKIE_NAME) ?? '', 'staff_session');
  return { version: claims.ver, expiresAt: claims.exp * 1000 };
}

/**
 * A stream outlives the request that authenticated it, so each heartbeat re-checks the session: a
 * logged-out, disabled, moved or expired account stops receiving at once. The browser then
 * reconnects, is answered 401 and returns to the login form.
 */
export async function sessionStillValid(principal: StaffPrincipal, session: StreamSession, now: number): Promise<boolean> {
  if (now >= session.expiresAt) return false;
  const staff = await Staff.findById(principal.id, { disabled: 1, sessionVersion: 1 }).lean();
  return Boolean(staff && !staff.disabled && staff.sessionVersion === session.version);
}
