/**
 * The RtcClient over Agora's mini-program SDK. The SDK is not on npm: Agora hands the file to the
 * app's owner, and the deployer puts it at AGORA_SDK_FILE (see docs/rtc-sdk.md). It is not in the
 * repository (`miniprogram/**\/*.js` is git-ignored); without it loadAgoraSdk() throws an
 * RtcUnavailableError saying where the file belongs.
 *
 * Written against the SDK 2.x client (Promise-returning methods; events carry `{ uid }`,
 * `{ uid, url }`, `{ code, reason }`); the 1.x shapes still seen in the wild — a bare uid in
 * stream events, `subscribe` resolving `{ url, rotation }` or a string — are accepted too.
 */
import { RtcUnavailableError, toRtcError, type RtcClient, type RtcEventName, type RtcEvents, type RtcHandler } from './types';

/** Where the deployer puts the SDK file, from the repository root. */
export const AGORA_SDK_FILE = 'miniprogram/vendor/agora/agora-miniapp-sdk.js';

/** The part of the SDK's Client this adapter uses. */
export interface AgoraSdkClient {
  init(appId: string): Promise<unknown>;
  join(token: string, channel: string, uid: number): Promise<unknown>;
  publish(): Promise<unknown>;
  subscribe(uid: number): Promise<unknown>;
  renewToken(token: string): Promise<unknown>;
  rejoin(token: string, channel: string, uid: number, uids: number[]): Promise<unknown>;
  leave(): Promise<unknown>;
  destroy(): Promise<unknown>;
  on(event: string, handler: (payload: unknown) => void): void;
}

export interface AgoraSdk {
  Client: new () => AgoraSdkClient;
}

const MISSING = `Agora 小程序 SDK 文件缺失：请把从 Agora 获得的 SDK 文件放在 ${AGORA_SDK_FILE}（见 docs/rtc-sdk.md）`;

/** Loads the SDK file from AGORA_SDK_FILE, or throws an RtcUnavailableError saying what is missing. */
export function loadAgoraSdk(): AgoraSdk {
  let sdk: unknown;
  try {
    // A literal path on purpose: the developer tools package what a require names, and only that.
    sdk = require('../../vendor/agora/agora-miniapp-sdk.js');
  } catch {
    throw new RtcUnavailableError(MISSING);
  }
  const client = (sdk as { Client?: unknown } | null)?.Client;
  if (typeof client !== 'function') {
    throw new RtcUnavailableError(`${AGORA_SDK_FILE} 不是 Agora 小程序 SDK（没有 Client）：请换成 Agora 提供的原文件`);
  }
  return sdk as AgoraSdk;
}

function uidOf(payload: unknown): number {
  if (typeof payload === 'number' || typeof payload === 'string') return Number(payload);
  return Number((payload as { uid?: unknown } | null)?.uid);
}

function urlOf(result: unknown): string {
  if (typeof result === 'string') return result;
  const url = (result as { url?: unknown } | null)?.url;
  if (typeof url !== 'string' || !url) throw toRtcError({ code: 0, reason: 'the SDK gave no stream URL' });
  return url;
}

/** Turns the SDK's event payloads into ours. */
function normalise<E extends RtcEventName>(event: E, payload: unknown): RtcEvents[E] {
  switch (event) {
    case 'stream-added':
    case 'stream-removed':
      return { uid: uidOf(payload) } as RtcEvents[E];
    case 'update-url':
      return { uid: uidOf(payload), url: String((payload as { url?: unknown } | null)?.url ?? '') } as RtcEvents[E];
    case 'error':
    case 'client-banned': {
      const err = toRtcError(payload);
      return { code: err.code, reason: err.message } as RtcEvents[E];
    }
    default:
      return {} as RtcEvents[E];
  }
}

export class AgoraRtcClient implements RtcClient {
  private readonly client: AgoraSdkClient;

  constructor(sdk: AgoraSdk = loadAgoraSdk()) {
    this.client = new sdk.Client();
  }

  init(appId: string): Promise<void> {
    return this.call(() => this.client.init(appId));
  }

  join(token: string, channel: string, uid: number): Promise<void> {
    return this.call(() => this.client.join(token, channel, uid));
  }

  async publish(): Promise<string> {
    return urlOf(await this.call(() => this.client.publish()));
  }

  async subscribe(uid: number): Promise<string> {
    return urlOf(await this.call(() => this.client.subscribe(uid)));
  }

  renewToken(token: string): Promise<void> {
    return this.call(() => this.client.renewToken(token));
  }

  rejoin(token: string, channel: string, uid: number, knownUids: number[]): Promise<void> {
    return this.call(() => this.client.rejoin(token, channel, uid, knownUids));
  }

  leave(): Promise<void> {
    return this.call(() => this.client.leave());
  }

  destroy(): Promise<void> {
    return this.call(() => this.client.destroy());
  }

  on<E extends RtcEventName>(event: E, handler: RtcHandler<E>): void {
    this.client.on(event, (payload) => handler(normalise(event, payload)));
  }

  /** Runs an SDK call; a throw or a rejection of any shape becomes an RtcError. */
  private async call<T = void>(fn: () => Promise<unknown>): Promise<T> {
    try {
      return (await fn()) as T;
    } catch (err) {
      throw toRtcError(err);
    }
  }
}
