/**
 * 等待接听 (ROUTES.reportWaiting?caseId=): the case as its party sees it (GET /cases/:id), asked
 * again every `refreshAfterSeconds` while the page is showing. Queued: place in the queue, the
 * estimate and how it was made, the join code for the other parties (large, and as a QR code),
 * who has joined, and 取消报案 (confirmed first). A long wait adds 122 and the other ways. When an
 * officer answers (in_call, or collecting for a party arriving late) the call page takes over.
 * Redirected or cancelled: why, and what to do instead. Abandoned (nobody answered in time, or the
 * call dropped for long): 继续处理 puts the case back in the queue with everything collected.
 */
import type { DriverCaseView } from '../../../typings';
import { afterCallActions } from '../../behaviors/afterCallActions';
import { ROUTES } from '../../routes';
import { type AlternativeView, LONG_WAIT_ALTERNATIVES, alternativeViews, alternativesOf } from '../../utils/alternatives';
import { ApiRequestError, userMessage } from '../../utils/errors';
import { apiWith } from '../../utils/request';
import { STATE_TEXT, estimateText, positionText } from '../../utils/caseText';

/** When the server names no interval but the page should still try again (after a failed refresh). */
const FALLBACK_REFRESH_SECONDS = 10;

type Phase = 'loading' | 'load_error' | 'view';

interface PartyView {
  label: string;
  plate: string;
  isMe: boolean;
}

/** One refresh timer per page instance. */
const timers = new WeakMap<object, number>();

Component({
  behaviors: [afterCallActions],

  properties: {
    caseId: { type: String, value: '' },
  },

  data: {
    phase: 'loading' as Phase,
    loadError: '',
    state: '',
    title: '',
    text: '',
    queued: false,
    positionText: '',
    estimateText: '',
    basis: '',
    joinCode: '',
    parties: [] as PartyView[],
    partyCountText: '',
    missingParties: false,
    reasons: [] as { code: string; reason: string }[],
    alternatives: [] as AlternativeView[],
    address: '',
    canCancel: false,
    cancelling: false,
    cancelError: '',
    refreshNote: '',
    hidden: false,
    callOpened: false,
    canResume: false,
  },

  lifetimes: {
    attached(): void {
      void this.load();
    },
    detached(): void {
      this.stopRefresh();
    },
  },

  pageLifetimes: {
    hide(): void {
      this.stopRefresh();
      this.setData({ hidden: true });
    },
    show(): void {
      // Back in front (from the dialler, another app …): catch up at once, then poll again.
      if (!this.data.hidden) return;
      this.setData({ hidden: false });
      void this.load();
    },
  },

  methods: {
    async load(): Promise<void> {
      this.stopRefresh();
      const caseId = this.properties.caseId;
      if (!caseId) {
        this.setData({ phase: 'load_error', loadError: '没有找到报案，请返回首页查看' });
        return;
      }
      try {
        const view = await apiWith('GET /api/v1/cases/:id', { params: { id: caseId } });
        this.apply(view);
      } catch (err) {
        this.loadFailed(err);
      }
    },

    loadFailed(err: unknown): void {
      const message = userMessage(err);
      const permanent = err instanceof ApiRequestError && err.status >= 400 && err.status < 500 && err.status !== 429;
      if (this.data.phase !== 'view' || permanent) {
        this.setData({ phase: 'load_error', loadError: message });
        return;
      }
      // Keep showing what we know; try again shortly.
      this.setData({ refreshNote: '网络不稳定，正在重新获取最新状态…' });
      this.scheduleRefresh(FALLBACK_REFRESH_SECONDS);
    },

    apply(view: DriverCaseView): void {
      const wait = view.state === 'queued' ? view.wait : null;
      const failedAlternatives = alternativesOf(view.failed);
      const alternatives =
        view.state === 'redirected' || view.state === 'abandoned' || view.state === 'cancelled'
          ? alternativeViews([...failedAlternatives, 'call_122'])
          : wait?.offerAlternatives
            ? alternativeViews(LONG_WAIT_ALTERNATIVES)
            : [];
      this.setData({
        phase: 'view',
        loadError: '',
        refreshNote: '',
        state: view.state,
        title: STATE_TEXT[view.state].title,
        text: STATE_TEXT[view.state].text,
        queued: view.state === 'queued',
        positionText: wait ? positionText(wait) : '',
        estimateText: wait ? estimateText(wait) : '',
        basis: wait?.basis ?? '',
        joinCode: view.joinCode ?? '', // null once joining is closed
        parties: view.parties.map((p) => ({ label: p.label, plate: p.plate, isMe: p.isMe })),
        partyCountText: `已加入 ${view.parties.length} / ${view.vehicleCount} 辆车`,
        missingParties: view.parties.length < view.vehicleCount,
        reasons: view.failed.map((v) => ({ code: v.code, reason: v.reason })),
        alternatives,
        address: view.place.address,
        // Only the reporter (party A) may cancel, and only before an officer answers.
        canCancel: view.state === 'queued' && view.parties.some((p) => p.isMe && p.label === 'A'),
        canResume: view.state === 'abandoned',
      });
      if (view.state === 'in_call' || view.state === 'collecting') this.openCall(view.caseId);
      // The server says when something may have changed; null: nothing more is expected.
      if (view.refreshAfterSeconds !== null) this.scheduleRefresh(view.refreshAfterSeconds);
    },

    /** The call page, once (it replaces this one: back from the call is not the queue). */
    openCall(caseId: string): void {
      if (this.data.callOpened) return;
      this.setData({ callOpened: true });
      wx.redirectTo({
        url: `${ROUTES.call}?caseId=${encodeURIComponent(caseId)}`,
        success: () => this.stopRefresh(),
        fail: () => this.setData({ callOpened: false }), // try again on the next refresh
      });
    },

    scheduleRefresh(seconds: number): void {
      this.stopRefresh();
      if (this.data.hidden) return;
      timers.set(this, setTimeout(() => void this.load(), Math.max(1, seconds) * 1000) as unknown as number);
    },

    stopRefresh(): void {
      const timer = timers.get(this);
      if (timer !== undefined) clearTimeout(timer);
      timers.delete(this);
    },

    onRetryTap(): Promise<void> {
      this.setData({ phase: 'loading', loadError: '' });
      return this.load();
    },

    onCancelTap(): void {
      if (!this.data.canCancel || this.data.cancelling) return;
      wx.showModal({
        title: '确定取消报案吗？',
        content: '取消后交警不会再接听本次报案。如需处理事故，需要重新报案。',
        confirmText: '取消报案',
        cancelText: '继续等待',
        confirmColor: '#d54941',
        success: (res) => {
          if (res.confirm) void this.cancel();
        },
      });
    },

    async cancel(): Promise<void> {
      this.stopRefresh();
      this.setData({ cancelling: true, cancelError: '' });
      try {
        const view = await apiWith('POST /api/v1/cases/:id/cancel', { params: { id: this.properties.caseId } }, {});
        this.setData({ cancelling: false });
        this.apply(view);
      } catch (err) {
        this.setData({ cancelling: false, cancelError: userMessage(err) });
        // 409: the case moved on (an officer answered meanwhile): show where it is now.
        if (err instanceof ApiRequestError && err.status === 409) void this.load();
        else this.scheduleRefresh(FALLBACK_REFRESH_SECONDS);
      }
    },

    /** 继续处理 (afterCallActions) put the case back in the queue: follow it here again. */
    afterResume(): Promise<void> {
      return this.load();
    },
  },
});
