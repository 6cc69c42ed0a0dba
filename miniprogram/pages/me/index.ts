/**
 * 我的: where a driver who registered elsewhere (the web portal, or without a face check) finds
 * 实人认证 — it opens the verification page in its existing-user mode, which also asks for the ID
 * card's validity period — and 网办进度, the driver's matters after the call.
 */
import type { VerificationStatusResponse } from '../../../typings';
import { ROUTES } from '../../routes';
import { userMessage } from '../../utils/errors';
import { api } from '../../utils/request';

const STATUS_LABELS: Record<VerificationStatusResponse['status'], string> = {
  unverified: '未认证',
  pending_review: '人工审核中',
  verified: '已认证',
  rejected: '未通过，请重新提交',
};

Component({
  data: {
    loading: true,
    errorMessage: '',
    verificationLabel: '',
    maskedName: '',
    verified: false,
  },

  lifetimes: {
    attached(): void {
      void this.load();
    },
  },

  pageLifetimes: {
    // Back from the verification pages: show where things stand now.
    show(): void {
      if (!this.data.loading) void this.load();
    },
  },

  methods: {
    async load(): Promise<void> {
      this.setData({ loading: true, errorMessage: '' });
      try {
        const status = await api('GET /api/v1/verification');
        this.setData({
          loading: false,
          verificationLabel: STATUS_LABELS[status.status],
          maskedName: status.maskedName ?? '',
          verified: status.status === 'verified',
        });
      } catch (err) {
        this.setData({ loading: false, errorMessage: userMessage(err) });
      }
    },

    onVerificationTap(): void {
      if (this.data.verified) return; // nothing to redo
      wx.navigateTo({ url: `${ROUTES.verify}?entry=existing_user` });
    },

    onProgressTap(): void {
      wx.navigateTo({ url: ROUTES.progress });
    },
  },
});
