/**
 * 录音录像告知: the notice, 同意并开始视频 (POST recording-consent, the page's key kept while the
 * driver retries), or 不同意 — then why it cannot go on, and 122. Emits `view` with the answer.
 */
import { afterCallActions } from '../../behaviors/afterCallActions';
import { CONSENT } from '../../pages/call/content';
import { userMessage } from '../../utils/errors';
import { apiWith } from '../../utils/request';

Component({
  options: { styleIsolation: 'apply-shared' },
  behaviors: [afterCallActions],

  properties: {
    caseId: { type: String, value: '' },
    /** The page's Idempotency-Key for this consent: one record however often it is sent. */
    idempotencyKey: { type: String, value: '' },
  },

  data: {
    consent: CONSENT,
    consenting: false,
    consentError: '',
    consentDeclined: false,
  },

  methods: {
    async onConsentTap(): Promise<void> {
      if (this.data.consenting) return;
      this.setData({ consenting: true, consentError: '' });
      try {
        const view = await apiWith('POST /api/v1/cases/:id/recording-consent', { params: { id: this.data.caseId }, idempotencyKey: this.data.idempotencyKey || undefined });
        this.setData({ consenting: false });
        this.triggerEvent('view', view);
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
  },
});
