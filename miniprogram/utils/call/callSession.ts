/**
 * The call page's connection to the case, without the page: the long poll of GET …/call?since=rev,
 * the video channel (join with a fresh token, renew the token before it expires, rejoin after a
 * drop on a schedule, then leave it to the driver), and nothing else. Plain TypeScript: the API,
 * the timers and the RTC client factory come in, what happens goes out through `events`, so it is
 * tested without a simulator (test/call-session.test.ts).
 */
import type { PartyCallView, RtcCredentials } from '../../../typings/api/call';
import { ApiRequestError, hasCode, userMessage } from '../errors';
import { DISPATCHER_UID, RtcUnavailableError, memberLabel, type RtcClient } from '../rtc/index';

/** The server holds a long poll up to 25 s; give the answer room to arrive. */
export const LONG_POLL_TIMEOUT_MS = 35000;
/** An unchanged answer sooner than this (a proxy cutting the hold short): wait out the rest. */
export const POLL_MIN_INTERVAL_MS = 1000;
/** Pauses after failed polls: 1st, 2nd … (the last repeats). */
export const POLL_BACKOFF_MS: readonly number[] = [1000, 2000, 5000, 10000, 15000];
/** Pauses before rejoining after the video dropped; after the last, the driver decides (重新连接). */
export const RECONNECT_DELAYS_MS: readonly number[] = [500, 2000, 5000, 10000, 20000];
/** Renewing a token that is about to expire: tries, this far apart. */
export const RENEW_RETRY_MS = 3000;
export const RENEW_TRIES = 3;

export const VIDEO_MESSAGES = {
  unavailable: '本机暂时无法进行视频通话。请按交警的文字指引拍照、填写信息，或拨打 122。',
  dropped: '视频连接中断，正在重新连接…',
  gaveUp: '视频连接不上。网络好一些后点「重新连接」；也可以先用下方文字和交警沟通。',
  banned: '视频已在另一台手机上打开，本机的视频已断开。需要在本机继续时，点「重新连接」。',
  unstable: '网络不稳定，正在重新连接…',
} as const;

/** idle … denied belong to the page (before the channel); the rest to the session. */
export type VideoState = 'idle' | 'permission' | 'denied' | 'connecting' | 'live' | 'reconnecting' | 'failed' | 'off';

export interface PlayerView {
  key: string;
  uid: number;
  label: string;
  src: string;
  big: boolean;
}

/** What changed about the video, in the page's data names. */
export interface VideoPatch {
  videoState?: VideoState;
  videoMessage?: string;
  pusherUrl?: string;
  players?: PlayerView[];
}

export interface CallApi {
  /** GET …/call, or its long poll with ?since=rev. */
  call(since?: number): Promise<PartyCallView>;
  /** POST …/rtc-token: a fresh token for this party's seat in the case channel. */
  rtcToken(): Promise<RtcCredentials>;
}

export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export const realTimers: Timers = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export interface CallSessionDeps {
  api: CallApi;
  createRtc: () => RtcClient;
  timers?: Timers;
  /** The screen stays on while the video is live. */
  keepScreenOn?: (on: boolean) => void;
}

export interface CallSessionEvents {
  /** A view at least as new as the last one shown. */
  view(view: PartyCallView): void;
  /** '' once the poll gets through again. */
  syncNote(text: string): void;
  video(patch: VideoPatch): void;
  /** The server wants the recording consent before a token (the case was reset meanwhile). */
  consentRequired(): void;
}

const ON_CALL = new Set<PartyCallView['state']>(['in_call', 'collecting']);

export class CallSession {
  private readonly timers: Timers;
  private alive = true;
  private rev = -1;
  private latest: PartyCallView | null = null;
  private polling = false;
  /** Ends the poll loop's current pause early. */
  private wakeUp: (() => void) | null = null;
  private syncText = '';

  /** The page wants the video on (in the call, consent given, permission granted). */
  private videoWanted = false;
  private rtc: RtcClient | null = null;
  private creds: RtcCredentials | null = null;
  private players: PlayerView[] = [];
  private reconnects = 0;
  private reconnectTimer: unknown = null;
  private renewTimer: unknown = null;

  constructor(
    private readonly deps: CallSessionDeps,
    private readonly events: CallSessionEvents,
  ) {
    this.timers = deps.timers ?? realTimers;
  }

  get view(): PartyCallView | null {
    return this.latest;
  }

  /** Shows a view (the first load, a poll's, a write's answer); one older than shown is dropped. */
  offer(view: PartyCallView): boolean {
    if (!this.alive || view.rev < this.rev) return false;
    this.rev = view.rev;
    this.latest = view;
    this.events.view(view);
    return true;
  }

  /**
   * Loads the case (rejects when it cannot), shows it, then polls while the case is on the call.
   * `loaded` runs first, for what must be ready before the first view shows.
   */
  async open(loaded?: () => void): Promise<void> {
    const view = await this.deps.api.call();
    if (!this.alive) return;
    loaded?.();
    this.offer(view);
    void this.poll();
  }

  /** Ask for news now (the page is shown again, a write said the case moved). */
  wake(): void {
    this.wakeUp?.();
  }

  /** The page closed: no request, no timer and no channel outlive it. */
  close(): void {
    this.alive = false;
    this.wake();
    void this.stopVideo();
  }

  get onCall(): boolean {
    return this.alive && this.latest !== null && ON_CALL.has(this.latest.state);
  }

  /** Keeps polling while the call is on: every change of the case arrives as a new view. */
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    let failures = 0;
    try {
      while (this.onCall) {
        const started = this.timers.now();
        try {
          const view = await this.deps.api.call(this.rev);
          if (!this.alive) return;
          failures = 0;
          const changed = view.rev > this.rev;
          this.note('');
          this.offer(view);
          if (!changed) await this.pause(POLL_MIN_INTERVAL_MS - (this.timers.now() - started));
        } catch (err) {
          if (!this.alive) return;
          failures += 1;
          const gone = err instanceof ApiRequestError && (err.status === 404 || err.status === 403);
          this.note(gone ? userMessage(err) : VIDEO_MESSAGES.unstable);
          await this.pause(POLL_BACKOFF_MS[Math.min(failures, POLL_BACKOFF_MS.length) - 1] ?? 15000);
        }
      }
    } finally {
      this.polling = false;
    }
  }

  private note(text: string): void {
    if (text === this.syncText) return;
    this.syncText = text;
    this.events.syncNote(text);
  }

  private pause(ms: number): Promise<void> {
    if (ms <= 0 || !this.alive) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.timers.clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = this.timers.setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  // Video

  /** Into the channel for the first time (camera and microphone already allowed). */
  startVideo(): Promise<void> {
    this.videoWanted = true;
    return this.connect(false);
  }

  /** 重新连接: the schedule starts over. */
  retryVideo(): Promise<void> {
    this.reconnects = 0;
    return this.connect(true);
  }

  /** Leaves the channel (the call ended, or the page closed). */
  async stopVideo(): Promise<void> {
    this.videoWanted = false;
    this.clearTimer('reconnectTimer');
    this.clearTimer('renewTimer');
    const client = this.rtc;
    this.rtc = null;
    this.players = [];
    if (this.alive) this.events.video({ videoState: 'off', pusherUrl: '', players: [] });
    this.deps.keepScreenOn?.(false);
    if (!client) return;
    await client.leave().catch(() => undefined);
    await client.destroy().catch(() => undefined);
  }

  private clearTimer(which: 'reconnectTimer' | 'renewTimer'): void {
    if (this[which] !== null) this.timers.clearTimeout(this[which]);
    this[which] = null;
  }

  private get videoOn(): boolean {
    return this.alive && this.videoWanted;
  }

  /** Into the channel with a fresh token: the first time (join) or after a drop (rejoin). */
  private async connect(rejoin: boolean): Promise<void> {
    if (!this.videoOn) return;
    this.events.video({ videoState: rejoin ? 'reconnecting' : 'connecting' });
    const knownUids = this.players.map((p) => p.uid);
    const old = this.rtc;
    this.rtc = null;
    if (old) await old.destroy().catch(() => undefined); // the SDK allows few sockets: free the old ones first
    let client: RtcClient;
    try {
      client = this.deps.createRtc();
    } catch (err) {
      if (err instanceof RtcUnavailableError) console.error(err.message);
      this.events.video({ videoState: 'failed', videoMessage: VIDEO_MESSAGES.unavailable });
      return;
    }
    this.rtc = client;
    this.listen(client);
    /** The call ended (released, page closed …) or another attempt took over while we waited: let this client go. */
    const superseded = (): boolean => {
      if (this.videoOn && this.rtc === client) return false;
      if (this.rtc === client) this.rtc = null;
      void client
        .leave()
        .catch(() => undefined)
        .then(() => client.destroy().catch(() => undefined));
      return true;
    };
    try {
      const creds = await this.deps.api.rtcToken();
      if (superseded()) return;
      this.creds = creds;
      await client.init(creds.appId);
      if (rejoin) await client.rejoin(creds.token, creds.channel, creds.uid, knownUids);
      else await client.join(creds.token, creds.channel, creds.uid);
      const url = await client.publish();
      if (superseded()) return;
      this.reconnects = 0;
      this.events.video({ videoState: 'live', videoMessage: '', pusherUrl: url });
      this.deps.keepScreenOn?.(true);
    } catch (err) {
      if (superseded()) return;
      if (hasCode(err, 'RECORDING_CONSENT_REQUIRED')) {
        this.videoWanted = false;
        this.events.video({ videoState: 'idle' });
        this.events.consentRequired();
        return;
      }
      if (hasCode(err, 'CASE_NOT_IN_CALL')) {
        this.events.video({ videoState: 'off' });
        this.wake(); // the poll brings the state the case is in
        return;
      }
      this.scheduleReconnect();
    }
  }

  private listen(client: RtcClient): void {
    const current = (): boolean => this.alive && this.rtc === client;
    client.on('stream-added', ({ uid }) => {
      if (!current() || uid === this.creds?.uid) return;
      client.subscribe(uid).then(
        (src) => current() && this.showPlayer(uid, src),
        () => undefined, // it comes again with the next stream-added
      );
    });
    client.on('stream-removed', ({ uid }) => {
      if (!current()) return;
      this.players = this.players.filter((p) => p.uid !== uid);
      this.events.video({ players: this.players });
    });
    client.on('update-url', ({ uid, url }) => {
      if (current() && uid !== this.creds?.uid && this.players.some((p) => p.uid === uid)) this.showPlayer(uid, url);
    });
    client.on('token-privilege-will-expire', () => {
      if (current()) void this.renewToken(client, RENEW_TRIES);
    });
    client.on('token-privilege-did-expire', () => {
      if (current()) this.scheduleReconnect(0);
    });
    client.on('error', () => {
      if (current()) this.scheduleReconnect();
    });
    client.on('client-banned', () => {
      if (!current()) return;
      this.rtc = null;
      this.players = [];
      void client.destroy().catch(() => undefined);
      this.events.video({ videoState: 'failed', pusherUrl: '', players: [], videoMessage: VIDEO_MESSAGES.banned });
    });
  }

  private showPlayer(uid: number, src: string): void {
    const player: PlayerView = { key: `${uid}-${this.timers.now()}`, uid, label: memberLabel(uid), src, big: uid === DISPATCHER_UID };
    this.players = [...this.players.filter((p) => p.uid !== uid), player].sort((a, b) => a.uid - b.uid); // the officer (1) first
    this.events.video({ players: this.players });
  }

  private async renewToken(client: RtcClient, triesLeft: number): Promise<void> {
    this.renewTimer = null;
    if (!this.alive || this.rtc !== client) return;
    try {
      const creds = await this.deps.api.rtcToken();
      if (!this.alive || this.rtc !== client) return;
      await client.renewToken(creds.token);
      this.creds = creds;
    } catch {
      // Too late in the end: token-privilege-did-expire rejoins with a fresh token.
      if (triesLeft > 1 && this.alive && this.rtc === client) {
        this.renewTimer = this.timers.setTimeout(() => void this.renewToken(client, triesLeft - 1), RENEW_RETRY_MS);
      }
    }
  }

  private scheduleReconnect(delayMs?: number): void {
    if (!this.alive || this.reconnectTimer !== null) return;
    const delay = delayMs ?? RECONNECT_DELAYS_MS[this.reconnects];
    if (delay === undefined) {
      this.events.video({ videoState: 'failed', videoMessage: VIDEO_MESSAGES.gaveUp });
      return;
    }
    this.reconnects += 1;
    this.events.video({ videoState: 'reconnecting', videoMessage: VIDEO_MESSAGES.dropped });
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = null;
      if (this.videoOn) void this.connect(true);
    }, delay);
  }
}
