/**
 * The call page's connection to the case, without the page: the long poll of GET …/call?since=rev,
 * and the video channel (videoChannel.ts: join with a fresh token, renew the token before it
 * expires, rejoin after a drop on a schedule, then leave it to the driver), and nothing else. Plain TypeScript: the API,
 * the timers and the RTC client factory come in, what happens goes out through `events`, so it is
 * tested without a simulator (test/call-session.test.ts).
 */
import type { PartyCallView, RtcCredentials } from '../../../typings/api/call';
import { ApiRequestError, userMessage } from '../errors';
import type { RtcClient } from '../rtc/index';
import { type VideoPatch, VideoChannel } from './videoChannel';

export { RECONNECT_DELAYS_MS, RENEW_RETRY_MS, RENEW_TRIES, VIDEO_MESSAGES, type PlayerView, type VideoPatch, type VideoState } from './videoChannel';

/** The server holds a long poll up to 25 s; give the answer room to arrive. */
export const LONG_POLL_TIMEOUT_MS = 35000;
/** An unchanged answer sooner than this (a proxy cutting the hold short): wait out the rest. */
export const POLL_MIN_INTERVAL_MS = 1000;
/** Pauses after failed polls: 1st, 2nd … (the last repeats). */
export const POLL_BACKOFF_MS: readonly number[] = [1000, 2000, 5000, 10000, 15000];
export const POLL_MESSAGES = {
  unstable: '网络不稳定，正在重新连接…',
} as const;

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

  private readonly video: VideoChannel;

  constructor(
    private readonly deps: CallSessionDeps,
    private readonly events: CallSessionEvents,
  ) {
    this.timers = deps.timers ?? realTimers;
    this.video = new VideoChannel(
      { api: deps.api, createRtc: deps.createRtc, timers: this.timers, ...(deps.keepScreenOn ? { keepScreenOn: deps.keepScreenOn } : {}) },
      { video: (patch) => events.video(patch), consentRequired: () => events.consentRequired(), notInCall: () => this.wake() },
    );
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
    void this.video.close();
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
          this.note(gone ? userMessage(err) : POLL_MESSAGES.unstable);
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

  // The video channel (videoChannel.ts)

  /** Into the channel for the first time (camera and microphone already allowed). */
  startVideo(): Promise<void> {
    return this.video.startVideo();
  }

  /** 重新连接: the schedule starts over. */
  retryVideo(): Promise<void> {
    return this.video.retryVideo();
  }

  /** Leaves the channel (the call ended). */
  stopVideo(): Promise<void> {
    return this.video.stopVideo();
  }
}
