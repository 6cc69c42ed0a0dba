/**
 * 加入报案 (ROUTES.reportJoin, `?code=` pre-fills): for the other parties of an accident someone
 * already reported. The 6-character code the reporter shows (typed, or its QR code scanned with
 * wx.scanCode), the driver's own plate, and confirming the facts as reported → POST /cases/join →
 * the waiting page of that case. The server's refusals are shown as it words them.
 */
import { ROUTES } from '../../routes';
import { hasCode, userMessage } from '../../utils/errors';
import { joinCodeError, joinCodeFromScan, normalizeJoinCode } from '../../utils/joinCode';
import { normalizePlate, plateError } from '../../utils/plate';
import { rememberPlate, rememberedPlate } from '../../utils/reportFlow';
import { api } from '../../utils/request';

/** Refusals about the code itself: shown under the code field. */
const CODE_ERRORS = ['JOIN_CODE_INVALID', 'JOIN_CODE_EXPIRED'] as const;

Component({
  properties: {
    /** Page query: a code handed over in a link or a mini-program QR code. */
    code: { type: String, value: '' },
  },

  data: {
    codeValue: '',
    plate: '',
    factsConfirmed: false,
    codeError: '',
    plateError: '',
    factsError: '',
    formError: '',
    scanError: '',
    needsVerification: false,
    /** OPEN_CASE_EXISTS: the case the driver is already in. */
    openCaseId: '',
    submitting: false,
  },

  lifetimes: {
    attached(): void {
      this.setData({ codeValue: normalizeJoinCode(this.properties.code), plate: rememberedPlate() || '粤' });
    },
  },

  methods: {
    onCodeChange(e: WechatMiniprogram.CustomEvent<{ value: string }>): void {
      this.setData({ codeValue: e.detail.value ?? '', codeError: '', formError: '' });
    },

    onCodeBlur(): void {
      const code = normalizeJoinCode(this.data.codeValue);
      if (code) this.setData({ codeValue: code, codeError: joinCodeError(code) ?? '' });
    },

    onPlateChange(e: WechatMiniprogram.CustomEvent<{ value: string }>): void {
      this.setData({ plate: e.detail.value ?? '', plateError: '', formError: '' });
    },

    onPlateBlur(): void {
      if (this.data.plate.length > 1) this.setData({ plateError: plateError(this.data.plate) ?? '' });
    },

    onFactsChange(e: WechatMiniprogram.CustomEvent<{ checked: boolean }>): void {
      this.setData({ factsConfirmed: Boolean(e.detail.checked), factsError: '' });
    },

    onScanTap(): void {
      this.setData({ scanError: '' });
      wx.scanCode({
        onlyFromCamera: true,
        scanType: ['qrCode'],
        success: (res) => {
          const code = joinCodeFromScan(res.result);
          if (code) this.setData({ codeValue: code, codeError: '', formError: '' });
          else this.setData({ scanError: '这不是报案的案件码，请扫描报案人手机上显示的二维码' });
        },
        fail: (err) => {
          if (/cancel/i.test(err.errMsg)) return; // closed the scanner
          this.setData({ scanError: '无法打开扫码，请直接输入案件码' });
        },
      });
    },

    async onSubmitTap(): Promise<void> {
      if (this.data.submitting) return;
      const code = normalizeJoinCode(this.data.codeValue);
      const errors = {
        codeError: joinCodeError(code) ?? '',
        plateError: plateError(this.data.plate) ?? '',
        factsError: this.data.factsConfirmed ? '' : '请确认以上情况属实后再加入',
      };
      if (errors.codeError || errors.plateError || errors.factsError) {
        this.setData({ ...errors, formError: '请按红字提示修改' });
        return;
      }
      const plate = normalizePlate(this.data.plate);
      rememberPlate(plate);
      this.setData({ codeValue: code, plate, submitting: true, formError: '', needsVerification: false, openCaseId: '' });
      try {
        const view = await api('POST /api/v1/cases/join', { code, plate, factsConfirmed: true });
        this.setData({ submitting: false });
        wx.reLaunch({ url: `${ROUTES.reportWaiting}?caseId=${encodeURIComponent(view.caseId)}` });
      } catch (err) {
        this.setData({ submitting: false });
        this.showError(err);
      }
    },

    showError(err: unknown): void {
      if (hasCode(err, ...CODE_ERRORS)) {
        this.setData({ codeError: err.message });
        return;
      }
      if (hasCode(err, 'PLATE_ALREADY_IN_CASE')) {
        this.setData({ plateError: err.message });
        return;
      }
      if (hasCode(err, 'OPEN_CASE_EXISTS') && err.caseId) {
        this.setData({ formError: err.message, openCaseId: err.caseId });
        return;
      }
      if (hasCode(err, 'VERIFICATION_REQUIRED')) {
        this.setData({ formError: err.message, needsVerification: true });
        return;
      }
      if (hasCode(err, 'VALIDATION_FAILED')) {
        const issue = (path: string): string => err.issues.find((i) => i.path === path)?.message ?? '';
        this.setData({ codeError: issue('code'), plateError: issue('plate'), formError: err.message });
        return;
      }
      // CASE_FULL, JOIN_RATE_LIMITED (429), CONFLICT (already in it with another plate) …: the server's
      // words say what happened and what to do.
      this.setData({ formError: userMessage(err) });
    },

    onOpenCaseTap(): void {
      if (this.data.openCaseId) wx.reLaunch({ url: `${ROUTES.reportWaiting}?caseId=${encodeURIComponent(this.data.openCaseId)}` });
    },

    onVerifyTap(): void {
      wx.navigateTo({ url: ROUTES.verify });
    },
  },
});
