/**
 * 短信验证 (ROUTES.verifySms), offered after the face check keeps failing. The server sends a code to
 * the phone reserved on the driver's 驾驶证 (or, with a plate, 行驶证) record; the driver types it
 * back. When the reserved phone is not theirs any more, a third-party authorisation finds the phone
 * instead; when there is no record at all, only manual review of ID photos is left.
 */
import type { SmsSendResponse } from '../../../typings';
import { ROUTES } from '../../routes';
import { ApiRequestError, userMessage } from '../../utils/errors';
import { api } from '../../utils/request';
import { ThirdPartyError, authorize } from '../../utils/thirdParty';

/** Seconds before another code may be asked for (the server enforces its own limit with 429). */
export const RESEND_SECONDS = 60;

type Phase = 'form' | 'done';

/** One countdown timer per page instance. */
const timers = new WeakMap<object, number>();

function normalizePlate(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

Component({
  data: {
    phase: 'form' as Phase,
    plate: '',
    code: '',
    sending: false,
    verifying: false,
    sentTo: '',
    countdown: 0,
    sendLabel: '获取验证码',
    sendError: '',
    plateError: '',
    codeError: '',
    mismatchMessage: '',
    noRecordMessage: '',
    thirdPartyBusy: false,
    thirdPartyError: '',
    navigateHint: '',
  },

  lifetimes: {
    detached(): void {
      this.stopCountdown();
    },
  },

  methods: {
    onPlateChange(e: WechatMiniprogram.CustomEvent<{ value: string }>): void {
      this.setData({ plate: e.detail.value ?? '', plateError: '' });
    },

    onCodeChange(e: WechatMiniprogram.CustomEvent<{ value: string }>): void {
      this.setData({ code: e.detail.value ?? '', codeError: '' });
    },

    label(countdown: number): string {
      if (countdown > 0) return `${countdown} 秒后可重新获取`;
      return this.data.sentTo ? '重新获取验证码' : '获取验证码';
    },

    startCountdown(seconds: number): void {
      this.stopCountdown();
      const deadline = Date.now() + seconds * 1000;
      // Each tick is scheduled just past the next whole second before the deadline, not every 1000 ms:
      // a timer firing a millisecond early would otherwise show the same number twice and skip one.
      const tick = (): void => {
        const remainingMs = deadline - Date.now();
        const left = Math.max(0, Math.ceil(remainingMs / 1000));
        this.setData({ countdown: left, sendLabel: this.label(left) });
        if (left === 0) {
          this.stopCountdown();
          return;
        }
        timers.set(this, setTimeout(tick, (remainingMs % 1000 || 1000) + 5) as unknown as number);
      };
      tick();
    },

    stopCountdown(): void {
      const timer = timers.get(this);
      if (timer !== undefined) clearTimeout(timer);
      timers.delete(this);
      this.setData({ countdown: 0, sendLabel: this.label(0) });
    },

    sent(res: SmsSendResponse): void {
      this.setData({ sentTo: res.sentTo, sendError: '', mismatchMessage: '', noRecordMessage: '', thirdPartyError: '', codeError: '' });
      this.startCountdown(RESEND_SECONDS);
    },

    async onSendTap(): Promise<void> {
      if (this.data.sending || this.data.countdown > 0) return;
      const plate = normalizePlate(this.data.plate);
      if (plate && (plate.length < 7 || plate.length > 8)) {
        this.setData({ plateError: '车牌号应为 7 位或 8 位（新能源车），不填也可以' });
        return;
      }
      this.setData({ sending: true, sendError: '', mismatchMessage: '', noRecordMessage: '' });
      try {
        const res = await api('POST /api/v1/verification/sms/send', plate ? { plate } : {});
        this.setData({ sending: false });
        this.sent(res);
      } catch (err) {
        this.setData({ sending: false });
        if (err instanceof ApiRequestError && err.code === 'RESERVED_PHONE_MISMATCH') {
          this.setData({ mismatchMessage: err.message });
        } else if (err instanceof ApiRequestError && err.code === 'NO_REGISTRY_RECORD') {
          this.setData({ noRecordMessage: err.message });
        } else if (err instanceof ApiRequestError && err.code === 'SMS_RATE_LIMITED') {
          this.setData({ sendError: err.message });
          this.startCountdown(err.retryAfterSeconds ?? RESEND_SECONDS);
        } else {
          this.setData({ sendError: userMessage(err) });
        }
      }
    },

    async onVerifyTap(): Promise<void> {
      if (this.data.verifying) return;
      const code = this.data.code.replace(/\s+/g, '');
      if (!this.data.sentTo) {
        this.setData({ codeError: '请先获取验证码' });
        return;
      }
      if (!/^\d{6}$/.test(code)) {
        this.setData({ codeError: '请输入短信里的 6 位数字验证码' });
        return;
      }
      this.setData({ verifying: true, codeError: '' });
      try {
        const status = await api('POST /api/v1/verification/sms/verify', { code });
        this.setData({ verifying: false });
        if (status.status === 'verified') {
          this.stopCountdown();
          this.setData({ phase: 'done' });
        } else {
          this.setData({ codeError: '验证没有完成，请稍后重试' });
        }
      } catch (err) {
        this.setData({ verifying: false, codeError: userMessage(err) });
        if (err instanceof ApiRequestError && err.code === 'SMS_CODE_EXPIRED') this.stopCountdown(); // may ask again now
      }
    },

    async onThirdPartyTap(): Promise<void> {
      if (this.data.thirdPartyBusy) return;
      this.setData({ thirdPartyBusy: true, thirdPartyError: '' });
      try {
        const authCode = await authorize();
        const res = await api('POST /api/v1/verification/third-party', { authCode });
        this.setData({ thirdPartyBusy: false });
        this.sent(res);
      } catch (err) {
        const message = err instanceof ThirdPartyError ? err.message : userMessage(err);
        this.setData({ thirdPartyBusy: false, thirdPartyError: message });
      }
    },

    onManualReviewTap(): void {
      wx.navigateTo({ url: ROUTES.verifyPhotos, fail: () => this.setData({ navigateHint: '页面打开失败，请稍后再试' }) });
    },

    onDoneTap(): void {
      wx.navigateBack({ fail: () => wx.reLaunch({ url: ROUTES.home }) });
    },
  },
});
