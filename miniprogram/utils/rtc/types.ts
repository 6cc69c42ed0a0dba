/**
 * The video call as the pages see it: our own small interface over an RTC SDK, shaped after the
 * Agora mini-program SDK's flow (init → join → publish gives the <live-pusher> URL, subscribe gives
 * a <live-player> URL per remote uid). agora.ts adapts the real SDK to it; fake.ts stands in for
 * it in tests and in the local demo. Pages never touch an SDK directly.
 */

export interface RtcErrorInfo {
  /** The SDK's code, e.g. 501 / 904 (the connection is gone: rejoin). */
  code: number;
  reason: string;
}

/** Every event a client emits, with what it carries. */
export interface RtcEvents {
  /** A remote uid started sending: subscribe(uid) for its player URL. */
  'stream-added': { uid: number };
  'stream-removed': { uid: number };
  /** A remote player's URL changed (the SDK moved the stream): swap the <live-player> src. */
  'update-url': { uid: number; url: string };
  error: RtcErrorInfo;
  /** About 30 s before the token expires: fetch a fresh one and renewToken(). */
  'token-privilege-will-expire': Record<string, never>;
  /** Too late: the client is out of the channel; rejoin with a fresh token. */
  'token-privilege-did-expire': Record<string, never>;
  /** The server removed this uid from the channel (a second phone with the same uid, say). */
  'client-banned': RtcErrorInfo;
}

export type RtcEventName = keyof RtcEvents;
export type RtcHandler<E extends RtcEventName> = (payload: RtcEvents[E]) => void;

export interface RtcClient {
  init(appId: string): Promise<void>;
  join(token: string, channel: string, uid: number): Promise<void>;
  /** Starts sending our camera and microphone; resolves with the URL for `<live-pusher url mode="RTC">`. */
  publish(): Promise<string>;
  /** Resolves with the URL for a `<live-player src>` showing `uid`. */
  subscribe(uid: number): Promise<string>;
  renewToken(token: string): Promise<void>;
  /** Back into the channel after a drop, keeping the remote uids already known. */
  rejoin(token: string, channel: string, uid: number, knownUids: number[]): Promise<void>;
  leave(): Promise<void>;
  /** Frees the client (its sockets count against the mini-program's limit of 5). Not usable afterwards. */
  destroy(): Promise<void>;
  on<E extends RtcEventName>(event: E, handler: RtcHandler<E>): void;
}

/** Thrown when no RTC client can be made (the Agora SDK file is not installed, say). */
export class RtcUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    Object.setPrototypeOf(this, RtcUnavailableError.prototype);
    this.name = 'RtcUnavailableError';
  }
}

/** A failed client call (init, join, publish …), with the SDK's code when it gave one. */
export class RtcError extends Error {
  readonly code: number;
  constructor(code: number, reason: string) {
    super(reason);
    Object.setPrototypeOf(this, RtcError.prototype);
    this.name = 'RtcError';
    this.code = code;
  }
}

/** Whatever an SDK rejected with (`{ code, reason }`, an Error, a string), as an RtcError. */
export function toRtcError(err: unknown): RtcError {
  if (err instanceof RtcError) return err;
  if (typeof err === 'object' && err !== null) {
    const { code, reason, message } = err as { code?: unknown; reason?: unknown; message?: unknown };
    const text = typeof reason === 'string' ? reason : typeof message === 'string' ? message : 'RTC call failed';
    return new RtcError(typeof code === 'number' ? code : Number(code) || 0, text);
  }
  return new RtcError(0, typeof err === 'string' ? err : 'RTC call failed');
}
