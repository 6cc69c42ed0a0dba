/**
 * The video channel of one call (CallSession's): into the case channel with a fresh RTC token,
 * the token renewed before it expires (RENEW_TRIES, RENEW_RETRY_MS apart), a dropped connection
 * rejoined on the RECONNECT_DELAYS_MS schedule and then left to the driver (重新连接). It reports
 * what the page shows as VideoPatch; no page in here.
 */
import type { RtcCredentials } from '../../../typings/api/call';
import { hasCode } from '../errors';
import { DISPATCHER_UID, RtcUnavailableError, memberLabel, type RtcClient } from '../rtc/index';
import type { CallApi, Timers } from './callSession';

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
} as const;

/** idle … denied belong to the page (before the channel); the rest to the channel. */
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

export interface VideoChannelDeps {
  api: Pick<CallApi, 'rtcToken'>;
  createRtc: () => RtcClient;
  timers: Timers;
  keepScreenOn?: (on: boolean) => void;
}

export interface VideoChannelEvents {
  video(patch: VideoPatch): void;
  /** The server wants the recording consent before a token (the case was reset meanwhile). */
  consentRequired(): void;
  /** The case is not in a call any more: the poll should bring its state now. */
  notInCall(): void;
}

export class VideoChannel {
  private alive = true;
  /** The page wants the video on (in the call, consent given, permission granted). */
  private videoWanted = false;
  private rtc: RtcClient | null = null;
  private creds: RtcCredentials | null = null;
  private players: PlayerView[] = [];
  private reconnects = 0;
  private reconnectTimer: unknown = null;
  private renewTimer: unknown = null;

  constructor(
    private readonly deps: VideoChannelDeps,
    private readonly events: VideoChannelEvents,
  ) {}

  /** The page closed: leaves, and nothing is reported any more. */
  close(): Promise<void> {
    this.alive = false;
    return this.stopVideo();
  }

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
    if (this[which] !== null) this.deps.timers.clearTimeout(this[which]);
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
        this.events.notInCall();
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
    const player: PlayerView = { key: `${uid}-${this.deps.timers.now()}`, uid, label: memberLabel(uid), src, big: uid === DISPATCHER_UID };
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
        this.renewTimer = this.deps.timers.setTimeout(() => void this.renewToken(client, triesLeft - 1), RENEW_RETRY_MS);
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
    this.reconnectTimer = this.deps.timers.setTimeout(() => {
      this.reconnectTimer = null;
      if (this.videoOn) void this.connect(true);
    }, delay);
  }
}
