import { reactive, readonly } from 'vue';
import type { StaffProfile } from '../../../typings/api/auth';
import { api, toApiError } from './api';
import { rememberBrigadeName } from './brigade';
import { openHome } from './route';

export const SESSION_EXPIRED_MESSAGE = '会话已过期，请重新登录';

type Phase = 'checking' | 'signed-out' | 'signed-in';

interface SessionState {
  phase: Phase;
  staff: StaffProfile | null;
  /** Shown on the login form once: why the officer is there again (session expired, signed out…). */
  notice: { text: string; theme: 'info' | 'warning' } | null;
  /** After an expiry the same officer signs back in: their username is kept, the password is not. */
  lastUsername: string;
  /** The first check could not reach the server (not the same as "not logged in"). */
  checkError: string | null;
}

/**
 * The one piece of app-wide state: who is signed in. The session itself is the httpOnly cookie;
 * this only mirrors what the server said, so a reload asks `GET /api/v1/staff/me` again.
 */
const state = reactive<SessionState>({ phase: 'checking', staff: null, notice: null, lastUsername: '', checkError: null });

export const session = readonly(state);

/** On load: the cookie decides which view shows. 401 → login form; anything else → say so and let them retry. */
export async function checkSession(): Promise<void> {
  state.phase = 'checking';
  state.checkError = null;
  try {
    signedIn(await api('GET /api/v1/staff/me'));
  } catch (err) {
    const error = toApiError(err);
    if (error.status === 401) {
      state.staff = null;
      state.phase = 'signed-out';
    } else {
      state.checkError = error.message;
    }
  }
}

/** Throws the ApiRequestError (with the server's Chinese message) for the login form to show. */
export async function signIn(username: string, password: string): Promise<void> {
  const { staff } = await api('POST /api/v1/staff/login', { username, password });
  signedIn(staff);
}

export async function signOut(): Promise<void> {
  try {
    await api('POST /api/v1/staff/logout');
  } catch (err) {
    // Already signed out on the server is fine; anything else keeps the officer where they are.
    if (toApiError(err).status !== 401) throw err;
  }
  // Signing out is usually a shift handover: the next officer starts from an empty form and their landing section
  // (an expired session keeps the open call's URL instead, so signing back in returns to it).
  state.lastUsername = '';
  openHome();
  signedOut({ text: '已退出登录', theme: 'info' });
}

/** Any API call answered 401: the cookie is gone or stale, back to the login form with a reason. */
export function expireSession(message: string = SESSION_EXPIRED_MESSAGE): void {
  if (state.phase !== 'signed-in') return;
  state.lastUsername = state.staff?.username ?? '';
  signedOut({ text: message, theme: 'warning' });
}

export function clearNotice(): void {
  state.notice = null;
}

function signedIn(staff: StaffProfile): void {
  state.staff = staff;
  state.notice = null;
  state.checkError = null;
  state.phase = 'signed-in';
}

function signedOut(notice: SessionState['notice']): void {
  state.staff = null;
  // The next officer at this desk may work for another brigade.
  rememberBrigadeName(null);
  state.notice = notice;
  state.phase = 'signed-out';
}
