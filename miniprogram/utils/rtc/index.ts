/**
 * Which RtcClient the call page gets. On a phone: Agora's (agora.ts). In the developer tools'
 * `develop` build without the SDK file (the local demo): the fake, with a console warning — a
 * trial or release build without the SDK fails instead, so a package missing it cannot pass as
 * working. Tests put their own factory in with setRtcClientFactory().
 */
import { AgoraRtcClient } from './agora';
import { FakeRtcClient } from './fake';
import { RtcUnavailableError, type RtcClient } from './types';

export * from './types';
export { FakeRtcClient } from './fake';
export { AGORA_SDK_FILE, AgoraRtcClient, loadAgoraSdk } from './agora';

type Factory = () => RtcClient;

let override: Factory | null = null;

/** Tests: every createRtcClient() calls `factory` until reset with null. */
export function setRtcClientFactory(factory: Factory | null): void {
  override = factory;
}

function envVersion(): string {
  try {
    return wx.getAccountInfoSync().miniProgram.envVersion;
  } catch {
    return 'release';
  }
}

/** A new client for one call. Throws RtcUnavailableError when there is none to be had. */
export function createRtcClient(): RtcClient {
  if (override) return override();
  try {
    return new AgoraRtcClient();
  } catch (err) {
    if (err instanceof RtcUnavailableError && envVersion() === 'develop') {
      console.warn(`${err.message}。开发版改用模拟视频（FakeRtcClient），不会真正连通视频。`);
      return new FakeRtcClient();
    }
    throw err;
  }
}

/** The dispatcher's uid in every case channel (typings/api/call.ts RtcCredentials). */
export const DISPATCHER_UID = 1;
const FIRST_PARTY_UID = 101;

/** Who a uid is, for a tile's caption: 交警, A 车, B 车 … */
export function memberLabel(uid: number): string {
  if (uid === DISPATCHER_UID) return '交警';
  const index = uid - FIRST_PARTY_UID;
  if (index >= 0 && index < 26) return `${String.fromCharCode(65 + index)} 车`;
  return `用户 ${uid}`;
}
