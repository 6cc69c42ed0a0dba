/**
 * The driver's session (tokens + profile) in wx storage, and the only code that obtains one:
 * wx.login → wechat-login, or a refresh. Both run single-flight, because several requests fail
 * together when a token expires and the refresh token is single-use: a second refresh with the
 * same token would be refused and log the driver out.
 */
import type { DriverSession } from '../../typings';
import { ApiRequestError, MESSAGES } from './errors';
import { send } from './http';

const STORAGE_KEY = 'driverSession';

function isSession(value: unknown): value is DriverSession {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Partial<DriverSession>;
  return typeof s.accessToken === 'string' && typeof s.refreshToken === 'string' && typeof s.driver === 'object' && s.driver !== null;
}

export function loadSession(): DriverSession | null {
  try {
    const stored: unknown = wx.getStorageSync(STORAGE_KEY);
    return isSession(stored) ? stored : null;
  } catch {
    return null; // unreadable storage: behave as logged out
  }
}

export function saveSession(session: DriverSession): void {
  wx.setStorageSync(STORAGE_KEY, session);
}

export function clearSession(): void {
  wx.removeStorageSync(STORAGE_KEY);
}

function wxLoginCode(): Promise<string> {
  return new Promise((resolve, reject) => {
    const failed = (): void => reject(new ApiRequestError('WECHAT_LOGIN_FAILED', 0, MESSAGES.wechatLogin));
    wx.login({
      success: (res) => (res.code ? resolve(res.code) : failed()),
      fail: failed,
    });
  });
}

let loggingIn: Promise<DriverSession> | null = null;

/** A fresh session from a new wx.login code. Concurrent callers share one login. */
export function login(): Promise<DriverSession> {
  if (!loggingIn) {
    loggingIn = (async () => {
      const code = await wxLoginCode();
      const session = await send('POST /api/v1/auth/wechat-login', { code });
      saveSession(session);
      return session;
    })().finally(() => {
      loggingIn = null;
    });
  }
  return loggingIn;
}

/**
 * The stored session, or a new one. Token expiry is left to the server's 401s rather than judged
 * by the phone's clock, which is often wrong.
 */
export async function ensureLogin(): Promise<DriverSession> {
  return loadSession() ?? login();
}

async function refreshOrLogin(current: DriverSession | null): Promise<DriverSession> {
  if (!current) return login();
  try {
    const session = await send('POST /api/v1/auth/refresh', { refreshToken: current.refreshToken });
    saveSession(session);
    return session;
  } catch (err) {
    // REFRESH_TOKEN_INVALID (expired, revoked or already used): only a new login helps.
    if (err instanceof ApiRequestError && err.status === 401) {
      clearSession();
      return login();
    }
    throw err;
  }
}

let renewing: Promise<DriverSession> | null = null;

/**
 * A session whose access token is not `rejectedAccessToken`. If another caller already renewed it,
 * that result is reused; otherwise one refresh (falling back to login) runs for everybody.
 */
export function renewSession(rejectedAccessToken: string): Promise<DriverSession> {
  if (renewing) return renewing;
  const current = loadSession();
  if (current && current.accessToken !== rejectedAccessToken) return Promise.resolve(current);
  renewing = refreshOrLogin(current).finally(() => {
    renewing = null;
  });
  return renewing;
}

/** Forgets the session here at once; tells the server best-effort (its refresh token expires anyway). */
export async function logout(): Promise<void> {
  const session = loadSession();
  clearSession();
  if (!session) return;
  try {
    await send('POST /api/v1/auth/logout', { refreshToken: session.refreshToken }, { accessToken: session.accessToken });
  } catch {
    // Offline or already invalid: nothing the driver can do about it, and nothing left to protect.
  }
}
