/**
 * 发送给保险公司: the driver picks their insurer from the list (the server's), reads exactly what
 * will be sent and consents — 发送 stays disabled until both — and then sees the status and, once
 * the insurer accepted, its 理赔报案号. A failure shows the insurer's or the network's words and a
 * 重试: the same Idempotency-Key after no answer (the server may have sent it already), a new one
 * after the server answered "failed" (that answer must not be replayed).
 */
import type { Insurer, InsurerHandoffView } from '../../../typings/api/insurers';
import { userMessage } from '../../utils/errors';
import { newIdempotencyKey } from '../../utils/id';
import { HANDOFF_CONSENT, handoffText } from '../../utils/matterText';
import { api, apiWith } from '../../utils/request';

Component({
  options: { styleIsolation: 'apply-shared' },

  properties: {
    caseId: { type: String, value: '' },
    handoff: { type: Object, value: null as unknown as InsurerHandoffView },
  },

  data: {
    consentWords: HANDOFF_CONSENT,
    current: null as InsurerHandoffView | null,
    statusText: '',
    /** The form is open (after 发送给保险公司, or straight away after a failure). */
    choosing: false,
    insurers: [] as Insurer[],
    loadingInsurers: false,
    insurerCode: '',
    insurerName: '',
    consent: false,
    sending: false,
    error: '',
    /** Kept while a send may have reached the server unanswered. */
    key: '',
  },

  observers: {
    handoff(handoff: InsurerHandoffView | null): void {
      this.show(handoff);
    },
  },

  methods: {
    show(current: InsurerHandoffView | null): void {
      this.setData({
        current,
        statusText: current ? handoffText(current) : '',
        error: current?.status === 'failed' ? handoffText(current) : '',
        insurerCode: current?.insurerCode ?? this.data.insurerCode,
        insurerName: current?.insurerName ?? this.data.insurerName,
      });
    },

    async onStartTap(): Promise<void> {
      this.setData({ choosing: true, error: '' });
      if (!this.data.insurers.length) await this.loadInsurers();
    },

    async loadInsurers(): Promise<void> {
      this.setData({ loadingInsurers: true, error: '' });
      try {
        const { items } = await api('GET /api/v1/insurers');
        this.setData({ loadingInsurers: false, insurers: items });
      } catch (err) {
        this.setData({ loadingInsurers: false, error: userMessage(err) });
      }
    },

    onInsurerChange(e: WechatMiniprogram.CustomEvent<{ value: string }>): void {
      const insurer = this.data.insurers.find((i) => i.code === e.detail.value);
      // Another insurer is another hand-off: it gets its own key.
      if (insurer) this.setData({ insurerCode: insurer.code, insurerName: insurer.name, key: '' });
    },

    onConsentChange(e: WechatMiniprogram.CustomEvent<{ checked: boolean }>): void {
      this.setData({ consent: e.detail.checked });
    },

    onSendTap(): Promise<void> {
      if (!this.data.consent || !this.data.insurerCode) return Promise.resolve();
      return this.send();
    },

    onRetryTap(): Promise<void> {
      if (!this.data.insurerCode) return this.loadInsurers();
      return this.send();
    },

    async send(): Promise<void> {
      if (this.data.sending) return;
      const key = this.data.key || newIdempotencyKey();
      this.setData({ sending: true, error: '', key });
      try {
        const view = await apiWith(
          'POST /api/v1/matters/:id/insurer-handoff',
          { params: { id: this.data.caseId }, idempotencyKey: key },
          { insurerCode: this.data.insurerCode, consent: true },
        );
        this.setData({ sending: false, key: '', choosing: false });
        this.show(view);
        this.triggerEvent('handoff', view);
      } catch (err) {
        this.setData({ sending: false, error: userMessage(err) });
      }
    },
  },
});
