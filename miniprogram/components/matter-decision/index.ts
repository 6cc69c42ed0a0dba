/**
 * A matter's decision as the driver reads it: who bears what liability and why, the 认定书's number,
 * 查看认定书 (download with the driver's token, then WeChat's viewer with its menu to forward it),
 * and the 复核 window — its deadline, whether it is still open, 申请复核 while it is, and how an
 * application stands once made.
 */
import type { MatterDecision } from '../../../typings/api/matters';
import { ROUTES } from '../../routes';
import { CertificateError, CERTIFICATE_MESSAGES, openCertificate } from '../../utils/certificate';
import { decisionView } from '../../utils/matterText';

Component({
  options: { styleIsolation: 'apply-shared' },

  properties: {
    caseId: { type: String, value: '' },
    decision: { type: Object, value: null as unknown as MatterDecision },
  },

  data: {
    view: null as ReturnType<typeof decisionView> | null,
    opening: false,
    certificateError: '',
  },

  observers: {
    decision(decision: MatterDecision | null): void {
      this.setData({ view: decision ? decisionView(decision) : null });
    },
  },

  methods: {
    async onOpenCertificateTap(): Promise<void> {
      if (this.data.opening) return;
      this.setData({ opening: true, certificateError: '' });
      try {
        await openCertificate(this.data.caseId);
        this.setData({ opening: false });
      } catch (err) {
        this.setData({ opening: false, certificateError: err instanceof CertificateError ? err.message : CERTIFICATE_MESSAGES.network });
      }
    },

    onApplyReviewTap(): void {
      wx.navigateTo({ url: `${ROUTES.review}?caseId=${encodeURIComponent(this.data.caseId)}` });
    },
  },
});
