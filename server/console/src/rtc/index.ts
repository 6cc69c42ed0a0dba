import type { RtcCredentials } from '../../../../typings/api/call';
import { FakeRtcSession } from './fake';
import type { RtcSession } from './types';

export type { RtcConnection, RtcSession } from './types';

/**
 * The server's development default for AGORA_APP_ID (server/src/config/external.ts). A server still on it has
 * no real Agora project behind it — the embedded demo and the tests — so the console plays the fake
 * call instead of contacting Agora. Production refuses to start with the development certificate, so a
 * real deployment always has its own app id here.
 */
export const DEVELOPMENT_AGORA_APP_ID = '0123456789abcdef0123456789abcdef';

declare global {
  interface Window {
    /** Set (to anything truthy) before the console loads to force the fake call, e.g. for a screen demo. */
    __QH_FAKE_RTC__?: unknown;
  }
}

export function usesFakeRtc(credentials: Pick<RtcCredentials, 'appId'>): boolean {
  return Boolean(window.__QH_FAKE_RTC__) || credentials.appId === DEVELOPMENT_AGORA_APP_ID;
}

/** The fake for the development app id (or when forced); otherwise the Agora SDK, loaded on demand. */
export async function createRtcSession(credentials: Pick<RtcCredentials, 'appId'>): Promise<RtcSession> {
  if (usesFakeRtc(credentials)) return new FakeRtcSession();
  const { createAgoraSession } = await import('./agora');
  return createAgoraSession();
}
