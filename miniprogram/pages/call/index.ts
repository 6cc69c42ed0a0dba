/**
 * 视频快处 (ROUTES.call?caseId=): the call with the traffic police, and what follows it.
 *
 * Opening (first time, after 继续处理, or after WeChat killed the app) restores everything from the
 * server's view of the case (GET /cases/:id/call) and the photo queue from storage. Then:
 * 1. 录音录像告知 until this party has consented (components/call-consent).
 * 2. Camera and microphone (wx.authorize scope.camera / scope.record); refused → what to do and
 *    a button to the settings page.
 * 3. The video (components/call-video) through CallSession (utils/call/callSession.ts): a fresh
 *    RTC token, join, publish; the token renewed before it expires; a drop rejoined on a schedule.
 * 4. Meanwhile CallSession's long poll brings the officer's shot requests, chat messages and state
 *    changes at once. A shot is taken with the camera only and goes through the upload queue
 *    (components/call-shots, utils/uploadQueue.ts); the driver fills in and confirms their own
 *    information (call-info), and may write to the officer (call-chat).
 * 5. Released, redirected, parked after a long drop (abandoned): components/call-after.
 *
 * The page keeps only the wiring: which part shows when, and what goes to and from CallSession
 * and the upload queue.
 */
import type { ChatMessage, PartyCallView, ShotKind } from '../../../typings/api/call';
import { afterCallActions } from '../../behaviors/afterCallActions';
import { ROUTES } from '../../routes';
import { type AlternativeView, alternativeViews } from '../../utils/alternatives';
import { callApi } from '../../utils/call/callApi';
import { CallSession, type PlayerView, type VideoPatch, type VideoState } from '../../utils/call/callSession';
import { STATE_TEXT } from '../../utils/caseText';
import { userMessage } from '../../utils/errors';
import { newIdempotencyKey } from '../../utils/id';
import { createRtcClient } from '../../utils/rtc/index';
import { type QueuedUpload, UploadQueue } from '../../utils/uploadQueue';
import { SHOT_LABEL } from './content';
import { type MessageView, type ShotView, type UploadView, messageViews, shotViews, uploadView } from './views';

type Phase = 'loading' | 'load_error' | 'consent' | 'call' | 'released' | 'redirected' | 'abandoned' | 'ended';

/** What the page keeps outside `data` (not rendered), one per page instance. */
interface Runtime {
  alive: boolean;
  session: CallSession;
  queue: UploadQueue | null;
  uploads: readonly QueuedUpload[];
  /** Sent messages the view does not list yet. */
  sentMessages: ChatMessage[];
  videoBusy: boolean;
  leftForWaiting: boolean;
}

const runtimes = new WeakMap<object, Runtime>();

function authorize(scope: 'scope.camera' | 'scope.record'): Promise<boolean> {
  return new Promise((resolve) => {
    wx.authorize({ scope, success: () => resolve(true), fail: () => resolve(false) });
  });
}

function keepScreenOn(on: boolean): void {
  if (typeof wx.setKeepScreenOn === 'function') wx.setKeepScreenOn({ keepScreenOn: on, fail: () => undefined });
}

Component({
  behaviors: [afterCallActions],

  properties: {
    caseId: { type: String, value: '' },
  },

  data: {
    phase: 'loading' as Phase,
    loadError: '',
    stateTitle: '',
    stateText: '',
    syncNote: '',
    /** The recording consent's Idempotency-Key, kept while the driver retries. */
    consentKey: '',

    videoState: 'idle' as VideoState,
    videoMessage: '',
    settingHint: '',
    pusherUrl: '',
    players: [] as PlayerView[],

    shots: [] as ShotView[],
    uploads: [] as UploadView[],
    evidenceCount: 0,
    myInfo: null as PartyCallView['myInfo'] | null,
    messages: [] as MessageView[],

    releaseNotice: '',
    redirectReason: '',
    alternatives: [] as AlternativeView[],
  },

  lifetimes: {
    attached(): void {
      const session = new CallSession(
        { api: callApi(this.properties.caseId), createRtc: createRtcClient, keepScreenOn },
        {
          view: (view) => this.apply(view),
          syncNote: (text) => this.setData({ syncNote: text }),
          video: (patch: VideoPatch) => this.setData(patch),
          consentRequired: () => this.setData({ phase: 'consent' }),
        },
      );
      runtimes.set(this, { alive: true, session, queue: null, uploads: [], sentMessages: [], videoBusy: false, leftForWaiting: false });
      this.setData({ consentKey: newIdempotencyKey() });
      void this.load();
    },
    detached(): void {
      const rt = runtimes.get(this);
      if (!rt) return;
      rt.alive = false;
      rt.session.close();
      rt.queue?.stop();
    },
  },

  pageLifetimes: {
    show(): void {
      // Back from the camera, the settings page, another app: ask for news now.
      runtimes.get(this)?.session.wake();
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
        await rt.session.open(() => this.startQueue(caseId));
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
        this.showView();
      });
      rt.queue.start();
    },

    /** Shows a view of the case the session accepted (from a poll or a write's answer). */
    apply(view: PartyCallView): void {
      const rt = runtimes.get(this);
      if (!rt) return;
      rt.sentMessages = rt.sentMessages.filter((m) => !view.messages.some((v) => v.id === m.id));
      this.setData({ evidenceCount: view.myEvidence.length, myInfo: view.myInfo });
      this.showView();

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
          break;
        case 'redirected':
          this.setData({
            phase: 'redirected',
            redirectReason: view.redirect?.reason ?? '',
            alternatives: alternativeViews([...(view.redirect?.alternatives ?? []), 'call_122']),
          });
          break;
        case 'abandoned':
          this.setData({ phase: 'abandoned' });
          break;
        default:
          this.setData({ phase: 'ended', stateTitle: STATE_TEXT[view.state].title, stateText: STATE_TEXT[view.state].text });
      }
      void rt.session.stopVideo();
    },

    /** The shot requests and messages of the newest view, with the queue's and the sent ones. */
    showView(): void {
      const rt = runtimes.get(this);
      const view = rt?.session.view;
      if (!rt || !view) return;
      this.setData({ shots: shotViews(view, rt.uploads), messages: messageViews(view, rt.sentMessages) });
    },

    toWaiting(): void {
      const rt = runtimes.get(this);
      if (!rt || rt.leftForWaiting) return;
      rt.leftForWaiting = true;
      // Not a call any more: the poll ends (the waiting page follows the queue), the video goes off.
      this.setData({ phase: 'ended', stateTitle: STATE_TEXT.queued.title, stateText: '正在打开排队页面…' });
      rt.session.wake();
      void rt.session.stopVideo();
      wx.redirectTo({
        url: `${ROUTES.reportWaiting}?caseId=${encodeURIComponent(this.properties.caseId)}`,
        fail: () => {
          rt.leftForWaiting = false;
          this.setData({ stateText: '请返回首页，点「继续处理」查看排队情况。' });
        },
      });
    },

    /** A part's write answered with a newer view (consent, my information, 继续处理). */
    onPartView(e: WechatMiniprogram.CustomEvent<PartyCallView>): void {
      runtimes.get(this)?.session.offer(e.detail);
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
        await rt.session.startVideo();
      } finally {
        rt.videoBusy = false;
      }
    },

    onOpenSetting(): void {
      wx.openSetting({
        success: (res) => {
          if (res.authSetting['scope.camera'] && res.authSetting['scope.record']) void this.startVideo();
          else this.setData({ settingHint: '还没有打开「摄像头」和「麦克风」，请在设置页中打开后返回' });
        },
        fail: () => this.setData({ settingHint: '设置页没有打开，请点右上角「···」→「设置」，打开「摄像头」和「麦克风」' }),
      });
    },

    onVideoRetry(): Promise<void> | undefined {
      if (this.data.phase !== 'call') return undefined;
      return runtimes.get(this)?.session.retryVideo();
    },

    onCameraDenied(): void {
      this.setData({ videoState: 'denied', videoMessage: '手机没有允许微信使用摄像头或麦克风。请在手机「设置」中找到微信，打开相机和麦克风权限后返回本页。' });
    },

    // Shots, chat

    onPhoto(e: WechatMiniprogram.CustomEvent<{ shotId: string; kind: ShotKind; tempFilePath: string; size: number }>): void {
      const { shotId, kind, tempFilePath, size } = e.detail;
      void runtimes.get(this)?.queue?.add({ tempFilePath, size }, { shotRequestId: shotId, kind, label: SHOT_LABEL[kind] });
    },

    onUploadRetry(e: WechatMiniprogram.CustomEvent<{ key: string }>): void {
      runtimes.get(this)?.queue?.retry(e.detail.key);
    },

    onMessageSent(e: WechatMiniprogram.CustomEvent<ChatMessage>): void {
      const rt = runtimes.get(this);
      if (!rt) return;
      if (!rt.session.view?.messages.some((m) => m.id === e.detail.id)) rt.sentMessages.push(e.detail);
      this.showView();
    },
  },
});
