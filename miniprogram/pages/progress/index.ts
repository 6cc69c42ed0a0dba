/**
 * 网办进度: each of the driver's matters (GET /api/v1/matters) as a card — its state and steps, and
 * once the 认定书 is delivered the decision, the certificate, the 复核 window and the insurer
 * hand-off. Pull down to refresh; it also refreshes whenever the page shows again (back from the
 * 复核 form, say), quietly, keeping what it shows until the new list arrives.
 */
import type { MatterSummary } from '../../../typings/api/matters';
import { ROUTES } from '../../routes';
import { userMessage } from '../../utils/errors';
import { api } from '../../utils/request';

type Phase = 'loading' | 'ready' | 'error';

Component({
  data: {
    phase: 'loading' as Phase,
    matters: [] as MatterSummary[],
    errorMessage: '',
    /** A refresh failed while a list is on screen: keep the list, say so above it. */
    refreshError: '',
  },

  lifetimes: {
    attached(): void {
      void this.load();
    },
  },

  pageLifetimes: {
    show(): void {
      if (this.data.phase !== 'loading') void this.load();
    },
  },

  methods: {
    async load(): Promise<void> {
      const hadList = this.data.phase === 'ready';
      if (!hadList) this.setData({ phase: 'loading', errorMessage: '' });
      try {
        const { items } = await api('GET /api/v1/matters');
        this.setData({ phase: 'ready', matters: items, refreshError: '' });
      } catch (err) {
        if (hadList) this.setData({ refreshError: userMessage(err) });
        else this.setData({ phase: 'error', errorMessage: userMessage(err) });
      }
    },

    async onPullDownRefresh(): Promise<void> {
      await this.load();
      wx.stopPullDownRefresh();
    },

    onRetryTap(): Promise<void> {
      return this.load();
    },

    onReportTap(): void {
      wx.reLaunch({ url: ROUTES.home });
    },
  },
});
