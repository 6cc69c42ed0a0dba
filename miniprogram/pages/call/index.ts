/**
 * 视频快处 (ROUTES.call?caseId=): the call with the traffic police, and what follows it.
 *
 * Opening (first time, after 继续处理, or after WeChat killed the app) restores everything from the
 * server's view of the case (GET /cases/:id/call) and the photo queue from storage. Then:
 * 1. 录音录像告知 until this party has consented (POST recording-consent records the time).
 * 2. Camera and microphone (wx.authorize scope.camera / scope.record); refused → what to do and
 *    a button to the settings page.
 * 3. A fresh RTC token (POST rtc-token) → join → <live-pusher> for our camera, a <live-player> per
 *    remote stream (the officer's big). The token is renewed before it expires; a dropped
 *    connection rejoins with a fresh one.
 * 4. Meanwhile a long poll (GET …/call?since=rev) brings the officer's shot requests, chat
 *    messages and state changes at once. A shot is taken with the camera only and goes through the
 *    upload queue (utils/uploadQueue.ts) with its progress shown; the driver fills in and confirms
 *    their own information, and may write to the officer (weak signal, hard of hearing).
 * 5. Released: 「请立即撤离」 and the safety reminders, video off. Redirected: why, and what to
 *    do instead (122). Parked after a long drop (abandoned): 继续处理 puts the case back in the queue.
 */
import type { ChatMessage, PartyCallView, PartyInfoUpdate, RtcCredentials, ShotRequest } from '../../../typings/api/call';
import { ROUTES } from '../../routes';
import { type AlternativeView, alternativeViews, call122 } from '../../utils/alternatives';
import { STATE_TEXT } from '../../utils/caseText';
import { ApiRequestError, hasCode, userMessage } from '../../utils/errors';
import { newIdempotencyKey } from '../../utils/id';
import { apiWith } from '../../utils/request';
import { DISPATCHER_UID, RtcUnavailableError, createRtcClient, memberLabel, type RtcClient } from '../../utils/rtc/index';
import { type QueuedUpload, UPLOAD_MESSAGES, UploadQueue, sentBytes } from '../../utils/uploadQueue';
import { CONSENT, INFO_FIELDS, type InfoField, PLATE_TYPES, RELEASE_REMINDERS, RELEASE_TITLE, SHOT_LABEL } from './content';

/** The server holds a long poll up to 25 s; give the answer room to arrive. */
export const LONG_POLL_TIMEOUT_MS = 35000;
/** An unchanged answer sooner than this (a proxy cutting the hold short): wait out the rest. */
export const POLL_MIN_INTERVAL_MS = 1000;
/** Pauses after failed polls: 1st, 2nd … (the last repeats). */
export const POLL_BACKOFF_MS: readonly number[] = [1000, 2000, 5000, 10000, 15000];
/** Pauses before rejoining after the video dropped; after the last, the driver decides (重新连接). */
export const RECONNECT_DELAYS_MS: readonly number[] = [500, 2000, 5000, 10000, 20000];
/** Renewing a token that is about to expire: tries, this far apart. */
const RENEW_RETRY_MS = 3000;
const RENEW_TRIES = 3;

type Phase = 'loading' | 'load_error' | 'consent' | 'call' | 'released' | 'redirected' | 'abandoned' | 'ended';
type VideoState = 'idle' | 'permission' | 'denied' | 'connecting' | 'live' | 'reconnecting' | 'failed' | 'off';

interface PlayerView {
  key: string;
  uid: number;
  label: string;
  src: string;
  big: boolean;
}

interface ShotView {
  id: string;
  title: string;
  instruction: string;
  note: string;
  /** A photo for it is queued or on its way: no second 拍摄 meanwhile. */
  busy: boolean;
  statusText: string;
}

interface UploadView {
  key: string;
  label: string;
  status: QueuedUpload['status'];
  percent: number;
  progressText: string;
  statusText: string;
  canRetry: boolean;
}

interface MessageView {
  id: string;
  who: string;
  text: string;
  time: string;
  mine: boolean;
}

type InfoForm = Record<InfoField, string>;

const EMPTY_INFO: InfoForm = { driverName: '', licenceNo: '', plateType: '', vehicleType: '', insurer: '', policyNo: '', phone: '' };

/** What the page keeps outside `data` (not rendered), one per page instance. */
interface Runtime {
  alive: boolean;
  view: PartyCallView | null;
  rev: number;
  polling: boolean;
  /** Ends the poll loop's current pause early (page shown again, page closed). */
  wake: (() => void) | null;
  queue: UploadQueue | null;
  uploads: readonly QueuedUpload[];
  rtc: RtcClient | null;
  creds: RtcCredentials | null;
  videoBusy: boolean;
  reconnectTimer: ReturnType<typeof setTimeout> | null;
  reconnects: number;
  /** Idempotency-Keys kept while the driver retries the same write. */
  consentKey: string;
  chatKey: string | null;
  /** Sent messages the view does not list yet. */
  sentMessages: ChatMessage[];
  leftForWaiting: boolean;
}

const runtimes = new WeakMap<object, Runtime>();

function newRuntime(): Runtime {
  return {
    alive: true,
    view: null,
    rev: -1,
    polling: false,
    wake: null,
    queue: null,
    uploads: [],
    rtc: null,
    creds: null,
    videoBusy: false,
    reconnectTimer: null,
    reconnects: 0,
    consentKey: newIdempotencyKey(),
    chatKey: null,
    sentMessages: [],
    leftForWaiting: false,
  };
}

function kb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

function uploadView(item: QueuedUpload): UploadView {
  const sent = sentBytes(item);
  const percent = item.status === 'done' ? 100 : item.size > 0 ? Math.floor((sent / item.size) * 100) : 0;
  const statusText =
    item.status === 'uploading'
      ? `正在上传 ${percent}%`
      : item.status === 'failed'
        ? item.error
        : UPLOAD_MESSAGES[item.status];
  return {
    key: item.uploadKey,
    label: item.label,
    status: item.status,
    percent,
    progressText: `已上传 ${kb(item.status === 'done' ? item.size : sent)} / ${kb(item.size)}`,
    statusText,
    canRetry: item.status === 'failed' && !item.lost,
  };
}

/** Beijing wall-clock time of day, 「07:31」. */
function clock(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const d = new Date(ms + 8 * 3600 * 1000);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

function senderLabel(from: string, me: string): string {
  if (from === me) return '我';
  if (from === 'dispatcher' || from === 'officer' || from === 'staff') return '交警';
  return /^[A-Z]$/.test(from) ? `${from} 车` : from;
}

function infoForm(view: PartyCallView): InfoForm {
  const form = { ...EMPTY_INFO };
  for (const name of Object.keys(EMPTY_INFO) as InfoField[]) form[name] = view.myInfo[name] ?? '';
  return form;
}

function plateTypeText(code: string): string {
  return PLATE_TYPES.find((t) => t.code === code)?.name ?? (code || '请选择');
}

function authorize(scope: 'scope.camera' | 'scope.record'): Promise<boolean> {
  return new Promise((resolve) => {
    wx.authorize({ scope, success: () => resolve(true), fail: () => resolve(false) });
  });
}

function keepScreenOn(on: boolean): void {
  if (typeof wx.setKeepScreenOn === 'function') wx.setKeepScreenOn({ keepScreenOn: on, fail: () => undefined });
}

Component({
  properties: {
    caseId: { type: String, value: '' },
  },

  data: {
    phase: 'loading' as Phase,
    loadError: '',
    stateTitle: '',
    stateText: '',
    syncNote: '',

    consent: CONSENT,
    consenting: false,
    consentError: '',
    consentDeclined: false,

    videoState: 'idle' as VideoState,
    videoMessage: '',
    settingHint: '',
    pusherUrl: '',
    players: [] as PlayerView[],

    shots: [] as ShotView[],
    shotError: '',
    uploads: [] as UploadView[],
    evidenceCount: 0,

    infoFields: INFO_FIELDS,
    info: { ...EMPTY_INFO } as InfoForm,
    infoDirty: false,
    plateTypeNames: PLATE_TYPES.map((t) => t.name),
    plateTypeIndex: -1,
    plateTypeText: '请选择',
    savingInfo: false,
    infoError: '',
    infoNote: '',
    confirmedText: '',

    messages: [] as MessageView[],
    chatText: '',
    sending: false,
    chatError: '',

    releaseTitle: RELEASE_TITLE,
    releaseNotice: '',
    releaseReminders: RELEASE_REMINDERS,
    redirectReason: '',
    alternatives: [] as AlternativeView[],
    callHint: '',
    resuming: false,
    resumeError: '',
  },

  lifetimes: {
    attached(): void {
      const rt = newRuntime();
      runtimes.set(this, rt);
      void this.load();
    },
    detached(): void {
      const rt = runtimes.get(this);
      if (!rt) return;
      rt.alive = false;
      rt.wake?.();
      rt.queue?.stop();
      void this.stopVideo();
    },
  },

  pageLifetimes: {
    show(): void {
      // Back from the camera, the settings page, another app: ask for news now.
      runtimes.get(this)?.wake?.();
    },
  },

  methods: {
    async load(): Promise<void> {
      const rt = runtimes.get(this);
      if (!rt) return;
      const caseId = this.properties.caseId;
      if (!caseId) {
        this.setData({ phase: 'load_error', loadError: '没有找到报案，请返回首页查看' });
        return;
      }
      try {
        const view = await apiWith('GET /api/v1/cases/:id/call', { params: { id: caseId } });
        if (!rt.alive) return;
        this.startQueue(caseId);
        this.apply(view);
        void this.pollLoop();
      } catch (err) {
        if (rt.alive) this.setData({ phase: 'load_error', loadError: userMessage(err) });
      }
    },

    onRetryTap(): Promise<void> {
      this.setData({ phase: 'loading', loadError: '' });
      return this.load();
    },

    startQueue(caseId: string): void {
      const rt = runtimes.get(this);
      if (!rt || rt.queue) return;
      rt.queue = new UploadQueue(caseId, (items) => {
        if (!rt.alive) return;
        rt.uploads = items;
        this.setData({ uploads: items.map(uploadView) });
        this.showShots();
      });
      rt.queue.start();
    },

    /** Keeps polling while the call is on: every change of the case arrives as a new view. */
    async pollLoop(): Promise<void> {
      const rt = runtimes.get(this);
      if (!rt || rt.polling) return;
      rt.polling = true;
      let failures = 0;
      try {
        while (rt.alive && (this.data.phase === 'consent' || this.data.phase === 'call')) {
          const started = Date.now();
          try {
            const view = await apiWith('GET /api/v1/cases/:id/call', {
              params: { id: this.properties.caseId },
              query: { since: rt.rev },
              timeoutMs: LONG_POLL_TIMEOUT_MS,
              retry: false, // this loop has its own backoff
            });
            if (!rt.alive) return;
            failures = 0;
            const changed = view.rev > rt.rev;
            if (this.data.syncNote) this.setData({ syncNote: '' });
            this.apply(view);
            if (!changed) await this.pause(POLL_MIN_INTERVAL_MS - (Date.now() - started));
          } catch (err) {
            if (!rt.alive) return;
            failures += 1;
            const gone = err instanceof ApiRequestError && (err.status === 404 || err.status === 403);
            this.setData({ syncNote: gone ? userMessage(err) : '网络不稳定，正在重新连接…' });
            await this.pause(POLL_BACKOFF_MS[Math.min(failures, POLL_BACKOFF_MS.length) - 1] ?? 15000);
          }
        }
      } finally {
        rt.polling = false;
      }
    },

    pause(ms: number): Promise<void> {
      const rt = runtimes.get(this);
      if (!rt || ms <= 0) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        function done(): void {
          clearTimeout(timer);
          if (rt) rt.wake = null;
          resolve();
        }
        rt.wake = done;
      });
    },

    /** Shows a view of the case (from a poll or a write's answer); an older one than shown is ignored. */
    apply(view: PartyCallView): void {
      const rt = runtimes.get(this);
      if (!rt || !rt.alive || view.rev < rt.rev) return;
      rt.rev = view.rev;
      rt.view = view;
      rt.sentMessages = rt.sentMessages.filter((m) => !view.messages.some((v) => v.id === m.id));

      const info = this.data.infoDirty ? {} : this.infoData(view);
      this.setData({
        evidenceCount: view.myEvidence.length,
        confirmedText: view.myInfo.confirmedAt ? `已于 ${clock(view.myInfo.confirmedAt)} 确认` : '',
        ...info,
      });
      this.showShots();
      this.showMessages();

      switch (view.state) {
        case 'draft':
        case 'queued':
          // Back in the queue (the officer's line dropped, or after 继续处理): the waiting page follows it.
          this.toWaiting();
          return;
        case 'in_call':
        case 'collecting':
          if (!view.recordingConsentAt) {
            this.setData({ phase: 'consent' });
            return;
          }
          this.setData({ phase: 'call' });
          if (this.data.videoState === 'idle') void this.startVideo();
          return;
        case 'released':
          this.setData({ phase: 'released', releaseNotice: view.releaseNotice ?? '' });
          void this.stopVideo();
          return;
        case 'redirected':
          this.setData({
            phase: 'redirected',
            redirectReason: view.redirect?.reason ?? '',
            alternatives: alternativeViews([...(view.redirect?.alternatives ?? []), 'call_122']),
          });
          void this.stopVideo();
          return;
        case 'abandoned':
          this.setData({ phase: 'abandoned' });
          void this.stopVideo();
          return;
        default:
          this.setData({ phase: 'ended', stateTitle: STATE_TEXT[view.state].title, stateText: STATE_TEXT[view.state].text });
          void this.stopVideo();
      }
    },

    infoData(view: PartyCallView): Record<string, unknown> {
      const form = infoForm(view);
      return {
        info: form,
        plateTypeIndex: PLATE_TYPES.findIndex((t) => t.code === form.plateType),
        plateTypeText: plateTypeText(form.plateType),
      };
    },

    showShots(): void {
      const rt = runtimes.get(this);
      if (!rt?.view) return;
      const shots = rt.view.pendingShots
        .filter((s) => s.evidenceId === null)
        .map((shot: ShotRequest): ShotView => {
          const item = [...rt.uploads].reverse().find((u) => u.shotRequestId === shot.id && u.status !== 'failed');
          return {
            id: shot.id,
            title: SHOT_LABEL[shot.kind],
            instruction: shot.instruction,
            note: shot.note ?? '',
            busy: Boolean(item),
            statusText: item ? (item.status === 'done' ? '已上传，等待交警查看' : '已拍摄，见下方上传进度') : '',
          };
        });
      this.setData({ shots });
    },

    showMessages(): void {
      const rt = runtimes.get(this);
      if (!rt?.view) return;
      const me = rt.view.me;
      const all = [...rt.view.messages, ...rt.sentMessages].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
      this.setData({
        messages: all.map((m) => ({ id: m.id, who: senderLabel(m.from, me), text: m.text, time: clock(m.at), mine: m.from === me })),
      });
    },

    toWaiting(): void {
      const rt = runtimes.get(this);
      if (!rt || rt.leftForWaiting) return;
      rt.leftForWaiting = true;
      // Not a call any more: the poll ends (the waiting page follows the queue), the video goes off.
      this.setData({ phase: 'ended', stateTitle: STATE_TEXT.queued.title, stateText: '正在打开排队页面…' });
      rt.wake?.();
      void this.stopVideo();
      wx.redirectTo({
        url: `${ROUTES.reportWaiting}?caseId=${encodeURIComponent(this.properties.caseId)}`,
        fail: () => {
          rt.leftForWaiting = false;
          this.setData({ stateText: '请返回首页，点「继续处理」查看排队情况。' });
        },
      });
    },

    // 录音录像告知

    async onConsentTap(): Promise<void> {
      const rt = runtimes.get(this);
      if (!rt || this.data.consenting) return;
      this.setData({ consenting: true, consentError: '' });
      try {
        const view = await apiWith('POST /api/v1/cases/:id/recording-consent', { params: { id: this.properties.caseId }, idempotencyKey: rt.consentKey });
        this.setData({ consenting: false });
        this.apply(view);
      } catch (err) {
        this.setData({ consenting: false, consentError: userMessage(err) });
      }
    },

    onConsentDeclineTap(): void {
      this.setData({ consentDeclined: true });
    },

    onConsentBackTap(): void {
      this.setData({ consentDeclined: false });
    },

    // Video

    async startVideo(): Promise<void> {
      const rt = runtimes.get(this);
      if (!rt || rt.videoBusy) return;
      rt.videoBusy = true;
      try {
        this.setData({ videoState: 'permission', videoMessage: '', settingHint: '' });
        const camera = await authorize('scope.camera');
        const record = await authorize('scope.record');
        if (!rt.alive || this.data.phase !== 'call') return;
        if (!camera || !record) {
          const missing = [!camera ? '摄像头' : '', !record ? '麦克风' : ''].filter(Boolean).join('和');
          this.setData({
            videoState: 'denied',
            videoMessage: `您没有允许小程序使用${missing}，交警无法看到现场、听到您说话。请点「去设置」，打开「摄像头」和「麦克风」后返回本页。`,
          });
          return;
        }
        await this.connect(false);
      } finally {
        rt.videoBusy = false;
      }
    },

    onOpenSettingTap(): void {
      wx.openSetting({
        success: (res) => {
          if (res.authSetting['scope.camera'] && res.authSetting['scope.record']) void this.startVideo();
          else this.setData({ settingHint: '还没有打开「摄像头」和「麦克风」，请在设置页中打开后返回' });
        },
        fail: () => this.setData({ settingHint: '设置页没有打开，请点右上角「···」→「设置」，打开「摄像头」和「麦克风」' }),
      });
    },

    /** Into the channel with a fresh token: the first time (join) or after a drop (rejoin). */
    async connect(rejoin: boolean): Promise<void> {
      const rt = runtimes.get(this);
      if (!rt || !rt.alive || this.data.phase !== 'call') return;
      this.setData({ videoState: rejoin ? 'reconnecting' : 'connecting' });
      const knownUids = this.data.players.map((p) => p.uid);
      const old = rt.rtc;
      rt.rtc = null;
      if (old) await old.destroy().catch(() => undefined); // the SDK allows few sockets: free the old ones first
      let client: RtcClient;
      try {
        client = createRtcClient();
      } catch (err) {
        if (err instanceof RtcUnavailableError) console.error(err.message);
        this.setData({ videoState: 'failed', videoMessage: '本机暂时无法进行视频通话。请按交警的文字指引拍照、填写信息，或拨打 122。' });
        return;
      }
      rt.rtc = client;
      this.listen(client);
      /** The call ended (released, page closed …) or another attempt took over while we waited: let this client go. */
      const superseded = (): boolean => {
        if (rt.alive && rt.rtc === client && this.data.phase === 'call') return false;
        if (rt.rtc === client) rt.rtc = null;
        void client
          .leave()
          .catch(() => undefined)
          .then(() => client.destroy().catch(() => undefined));
        return true;
      };
      try {
        const creds = await apiWith('POST /api/v1/cases/:id/rtc-token', { params: { id: this.properties.caseId } });
        if (superseded()) return;
        rt.creds = creds;
        await client.init(creds.appId);
        if (rejoin) await client.rejoin(creds.token, creds.channel, creds.uid, knownUids);
        else await client.join(creds.token, creds.channel, creds.uid);
        const url = await client.publish();
        if (superseded()) return;
        rt.reconnects = 0;
        this.setData({ videoState: 'live', videoMessage: '', pusherUrl: url });
        keepScreenOn(true);
      } catch (err) {
        if (superseded()) return;
        if (hasCode(err, 'RECORDING_CONSENT_REQUIRED')) {
          this.setData({ videoState: 'idle', phase: 'consent' });
          return;
        }
        if (hasCode(err, 'CASE_NOT_IN_CALL')) {
          this.setData({ videoState: 'off' });
          runtimes.get(this)?.wake?.(); // the poll brings the state the case is in
          return;
        }
        this.scheduleReconnect();
      }
    },

    listen(client: RtcClient): void {
      const rt = runtimes.get(this);
      if (!rt) return;
      const current = (): boolean => rt.alive && rt.rtc === client;
      client.on('stream-added', ({ uid }) => {
        if (!current() || uid === rt.creds?.uid) return;
        client.subscribe(uid).then(
          (src) => current() && this.showPlayer(uid, src),
          () => undefined, // it comes again with the next stream-added
        );
      });
      client.on('stream-removed', ({ uid }) => {
        if (current()) this.setData({ players: this.data.players.filter((p) => p.uid !== uid) });
      });
      client.on('update-url', ({ uid, url }) => {
        if (current() && uid !== rt.creds?.uid && this.data.players.some((p) => p.uid === uid)) this.showPlayer(uid, url);
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
        rt.rtc = null;
        void client.destroy().catch(() => undefined);
        this.setData({
          videoState: 'failed',
          pusherUrl: '',
          players: [],
          videoMessage: '视频已在另一台手机上打开，本机的视频已断开。需要在本机继续时，点「重新连接」。',
        });
      });
    },

    showPlayer(uid: number, src: string): void {
      const player: PlayerView = { key: `${uid}-${Date.now()}`, uid, label: memberLabel(uid), src, big: uid === DISPATCHER_UID };
      const players = [...this.data.players.filter((p) => p.uid !== uid), player].sort((a, b) => a.uid - b.uid); // the officer (1) first
      this.setData({ players });
    },

    async renewToken(client: RtcClient, triesLeft: number): Promise<void> {
      const rt = runtimes.get(this);
      if (!rt || !rt.alive || rt.rtc !== client) return;
      try {
        const creds = await apiWith('POST /api/v1/cases/:id/rtc-token', { params: { id: this.properties.caseId } });
        if (!rt.alive || rt.rtc !== client) return;
        await client.renewToken(creds.token);
        rt.creds = creds;
      } catch {
        // Too late in the end: token-privilege-did-expire rejoins with a fresh token.
        if (triesLeft > 1 && rt.alive && rt.rtc === client) setTimeout(() => void this.renewToken(client, triesLeft - 1), RENEW_RETRY_MS);
      }
    },

    scheduleReconnect(delayMs?: number): void {
      const rt = runtimes.get(this);
      if (!rt || !rt.alive || rt.reconnectTimer !== null) return;
      const delay = delayMs ?? RECONNECT_DELAYS_MS[rt.reconnects];
      if (delay === undefined) {
        this.setData({ videoState: 'failed', videoMessage: '视频连接不上。网络好一些后点「重新连接」；也可以先用下方文字和交警沟通。' });
        return;
      }
      rt.reconnects += 1;
      this.setData({ videoState: 'reconnecting', videoMessage: '视频连接中断，正在重新连接…' });
      rt.reconnectTimer = setTimeout(() => {
        rt.reconnectTimer = null;
        if (rt.alive && this.data.phase === 'call') void this.connect(true);
      }, delay);
    },

    onVideoRetryTap(): Promise<void> {
      const rt = runtimes.get(this);
      if (rt) rt.reconnects = 0;
      return this.connect(true);
    },

    /** The <live-pusher> itself failed: 10001/10002 are the camera / microphone refused by the phone. */
    onPusherError(e: WechatMiniprogram.CustomEvent<{ errCode: number; errMsg: string }>): void {
      if (e.detail.errCode === 10001 || e.detail.errCode === 10002) {
        this.setData({ videoState: 'denied', videoMessage: '手机没有允许微信使用摄像头或麦克风。请在手机「设置」中找到微信，打开相机和麦克风权限后返回本页。' });
      }
    },

    onSwitchCameraTap(): void {
      if (typeof wx.createLivePusherContext === 'function') wx.createLivePusherContext().switchCamera({});
    },

    async stopVideo(): Promise<void> {
      const rt = runtimes.get(this);
      if (!rt) return;
      if (rt.reconnectTimer !== null) clearTimeout(rt.reconnectTimer);
      rt.reconnectTimer = null;
      const client = rt.rtc;
      rt.rtc = null;
      if (rt.alive) this.setData({ videoState: 'off', pusherUrl: '', players: [] });
      keepScreenOn(false);
      if (!client) return;
      await client.leave().catch(() => undefined);
      await client.destroy().catch(() => undefined);
    },

    // Guided shots

    onShootTap(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { id: string }>): void {
      const rt = runtimes.get(this);
      const shot = rt?.view?.pendingShots.find((s) => s.id === e.currentTarget.dataset.id);
      if (!rt || !shot || !rt.queue) return;
      this.setData({ shotError: '' });
      const queue = rt.queue;
      wx.chooseMedia({
        count: 1,
        mediaType: ['image'],
        sourceType: ['camera'], // the scene as it is now: no photos from the album
        camera: 'back',
        success: (res) => {
          const file = res.tempFiles[0];
          if (!file) return;
          void queue.add({ tempFilePath: file.tempFilePath, size: file.size }, { shotRequestId: shot.id, kind: shot.kind, label: SHOT_LABEL[shot.kind] });
        },
        fail: (err) => {
          if (/cancel/i.test(err.errMsg)) return;
          this.setData({ shotError: '相机没有打开。请在设置中允许使用摄像头后再拍。' });
        },
      });
    },

    onUploadRetryTap(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { key: string }>): void {
      runtimes.get(this)?.queue?.retry(e.currentTarget.dataset.key);
    },

    // My information

    onInfoChange(e: WechatMiniprogram.CustomEvent<{ value: string }, Record<string, never>, { field: InfoField }>): void {
      const field = e.currentTarget.dataset.field;
      if (!(field in EMPTY_INFO)) return;
      this.setData({ [`info.${field}`]: e.detail.value ?? '', infoDirty: true, infoError: '', infoNote: '' });
    },

    onPlateTypeChange(e: WechatMiniprogram.PickerChange): void {
      const index = Number(e.detail.value);
      const type = PLATE_TYPES[index];
      if (!type) return;
      this.setData({ 'info.plateType': type.code, plateTypeIndex: index, plateTypeText: type.name, infoDirty: true, infoError: '', infoNote: '' });
    },

    onSaveInfoTap(): Promise<void> {
      return this.saveInfo(false);
    },

    onConfirmInfoTap(): Promise<void> {
      return this.saveInfo(true);
    },

    async saveInfo(confirm: boolean): Promise<void> {
      const rt = runtimes.get(this);
      if (!rt || this.data.savingInfo) return;
      const form = this.data.info;
      const phone = form.phone.trim();
      if (phone && !/^1\d{10}$/.test(phone)) {
        this.setData({ infoError: '请填写 11 位手机号' });
        return;
      }
      if (confirm && !form.driverName.trim()) {
        this.setData({ infoError: '请先填写驾驶人姓名再确认' });
        return;
      }
      const body: PartyInfoUpdate = {};
      for (const name of Object.keys(EMPTY_INFO) as InfoField[]) body[name] = form[name].trim() || null;
      if (confirm) body.confirm = true;
      this.setData({ savingInfo: true, infoError: '', infoNote: '' });
      try {
        const view = await apiWith('PUT /api/v1/cases/:id/my-info', { params: { id: this.properties.caseId } }, body);
        this.setData({ savingInfo: false, infoDirty: false, infoNote: confirm ? '已确认，交警会看到您确认过的信息' : '已保存' });
        this.apply(view);
        this.setData(this.infoData(rt.view ?? view)); // the newest view's, even when a poll was ahead of this answer
      } catch (err) {
        this.setData({ savingInfo: false, infoError: userMessage(err) });
      }
    },

    // Chat

    onChatChange(e: WechatMiniprogram.CustomEvent<{ value: string }>): void {
      const rt = runtimes.get(this);
      if (rt) rt.chatKey = null; // a different text is a different message
      this.setData({ chatText: e.detail.value ?? '', chatError: '' });
    },

    async onChatSendTap(): Promise<void> {
      const rt = runtimes.get(this);
      const text = this.data.chatText.trim();
      if (!rt || !text || this.data.sending) return;
      rt.chatKey = rt.chatKey ?? newIdempotencyKey(); // the same text sent again after a failure: one message
      this.setData({ sending: true, chatError: '' });
      try {
        const message = await apiWith('POST /api/v1/cases/:id/messages', { params: { id: this.properties.caseId }, idempotencyKey: rt.chatKey }, { text });
        rt.chatKey = null;
        if (!rt.view?.messages.some((m) => m.id === message.id)) rt.sentMessages.push(message);
        this.setData({ sending: false, chatText: '' });
        this.showMessages();
      } catch (err) {
        this.setData({ sending: false, chatError: userMessage(err) });
      }
    },

    // After the call

    async onResumeTap(): Promise<void> {
      if (this.data.resuming) return;
      this.setData({ resuming: true, resumeError: '' });
      try {
        const view = await apiWith('POST /api/v1/cases/:id/resume', { params: { id: this.properties.caseId } });
        this.setData({ resuming: false });
        this.apply(view);
      } catch (err) {
        this.setData({ resuming: false, resumeError: userMessage(err) });
      }
    },

    async onCall122Tap(): Promise<void> {
      this.setData({ callHint: '' });
      if (!(await call122())) this.setData({ callHint: '没有拨出，请直接用手机拨打 122' });
    },

    onHomeTap(): void {
      wx.reLaunch({ url: ROUTES.home });
    },
  },
});
