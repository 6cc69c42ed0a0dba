/**
 * 实人认证 entry (ROUTES.verify). Asks the server where the driver stands and shows that step:
 * unverified → the profile form (姓名 / 身份证号 / 手机号 / agreement, plus 有效期限 for
 * `?entry=existing_user`), then the face check; pending_review → wait; rejected → the reviewer's
 * reason and resubmitting photos; verified → done.
 *
 * The face check's result is the server's: whatever wx.requestFacialVerify reports on the phone, the
 * page asks POST face/complete and shows its answer. Written with Component() like home.
 */
import type { SaveProfileRequest, ValidationIssue, VerificationStatusResponse } from '../../../typings';
import { ROUTES } from '../../routes';
import { ApiRequestError, userMessage } from '../../utils/errors';
import { idNumberError, nameError, normalizeIdNumber, phoneError, validityError } from '../../utils/identity';
import { api } from '../../utils/request';
import { AGREEMENT_PARAGRAPHS, TEXT } from './content';

type Phase = 'loading' | 'load_error' | 'form' | 'face' | 'verified' | 'pending_review' | 'rejected';
type Field = 'name' | 'idNumber' | 'phone' | 'agreement' | 'validity';

interface FieldErrors {
  name: string;
  idNumber: string;
  phone: string;
  agreement: string;
  validity: string;
}

const NO_ERRORS: FieldErrors = { name: '', idNumber: '', phone: '', agreement: '', validity: '' };

/** Server issue path → the field it is shown under. */
function fieldOf(path: string): Field | null {
  if (path === 'name' || path === 'idNumber' || path === 'phone') return path;
  if (path === 'agreementAccepted' || path === 'agreementVersion') return 'agreement';
  if (path === 'idValidity' || path.startsWith('idValidity.')) return 'validity';
  return null;
}

function today(): string {
  const d = new Date();
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** wx.requestFacialVerify, settled either way: its outcome is only a hint, the server decides. */
function runFacialVerify(verifyId: string): Promise<void> {
  return new Promise((resolve) => {
    if (typeof wx.requestFacialVerify !== 'function') {
      resolve(); // base library < 3.8.12: the server records the attempt as failed and offers fallbacks
      return;
    }
    wx.requestFacialVerify({ verifyId, success: () => resolve(), fail: () => resolve() });
  });
}

Component({
  properties: {
    /** Page query: `existing_user` when opened from 我的 → 实人认证. */
    entry: { type: String, value: '' },
  },

  data: {
    phase: 'loading' as Phase,
    loadError: '',
    agreement: AGREEMENT_PARAGRAPHS,
    text: TEXT,
    agreementVersion: '',
    existingUser: false,
    today: today(),
    name: '',
    idNumber: '',
    phone: '',
    agreed: false,
    validityStart: '',
    validityEnd: '',
    longTerm: false,
    errors: { ...NO_ERRORS },
    formError: '',
    submitting: false,
    maskedName: '',
    maskedIdNumber: '',
    faceBusy: false,
    faceMessage: '',
    fallbackSms: false,
    fallbackManual: false,
    rejectReason: '',
    navigateHint: '',
  },

  lifetimes: {
    attached(): void {
      void this.load();
    },
  },

  pageLifetimes: {
    // Back from the SMS or photo page: the status may have moved on.
    show(): void {
      const phase = this.data.phase as Phase;
      if (phase !== 'loading' && phase !== 'form') void this.load();
    },
  },

  methods: {
    async load(): Promise<void> {
      this.setData({ phase: 'loading', loadError: '', existingUser: this.properties.entry === 'existing_user' });
      try {
        this.applyStatus(await api('GET /api/v1/verification'));
      } catch (err) {
        this.setData({ phase: 'load_error', loadError: userMessage(err) });
      }
    },

    applyStatus(status: VerificationStatusResponse): void {
      const common = {
        agreementVersion: status.agreementVersion,
        maskedName: status.maskedName ?? '',
        maskedIdNumber: status.maskedIdNumber ?? '',
        fallbackSms: status.fallbacks.includes('sms'),
        fallbackManual: status.fallbacks.includes('manual_review'),
        navigateHint: '',
      };
      if (status.status === 'verified') {
        this.setData({ ...common, phase: 'verified' });
      } else if (status.status === 'pending_review') {
        this.setData({ ...common, phase: 'pending_review' });
      } else if (status.status === 'rejected') {
        const reason = status.review?.reason?.trim();
        this.setData({ ...common, phase: 'rejected', rejectReason: reason || TEXT.rejectedNoReason });
      } else {
        // A saved profile shows as its masked name: go straight to the face check.
        this.setData({ ...common, phase: status.maskedName ? 'face' : 'form' });
      }
    },

    onRetryLoadTap(): Promise<void> {
      return this.load();
    },

    onFieldChange(e: WechatMiniprogram.CustomEvent<{ value: string }, Record<string, never>, { field: 'name' | 'idNumber' | 'phone' }>): void {
      const field = e.currentTarget.dataset.field;
      const value = e.detail.value ?? '';
      const update: Record<string, unknown> = { [field]: value, formError: '' };
      if (field === 'idNumber') {
        // Instant feedback once all 18 characters are in (or too many); quiet while typing.
        const id = normalizeIdNumber(value);
        update['errors.idNumber'] = id.length >= 18 ? idNumberError(id) ?? '' : '';
      } else {
        update[`errors.${field}`] = '';
      }
      this.setData(update);
    },

    onFieldBlur(e: WechatMiniprogram.CustomEvent<{ value: string }, Record<string, never>, { field: 'name' | 'idNumber' | 'phone' }>): void {
      const field = e.currentTarget.dataset.field;
      const value = (this.data[field] as string) ?? '';
      if (!value) return; // an empty field is pointed out on submit, not while moving through the form
      const check = field === 'name' ? nameError : field === 'idNumber' ? idNumberError : phoneError;
      this.setData({ [`errors.${field}`]: check(value) ?? '' });
    },

    onAgreementTap(): void {
      this.setData({ agreed: !this.data.agreed, 'errors.agreement': '' });
    },

    onStartChange(e: WechatMiniprogram.CustomEvent<{ value: string }>): void {
      this.setData({ validityStart: e.detail.value, 'errors.validity': '' });
    },

    onEndChange(e: WechatMiniprogram.CustomEvent<{ value: string }>): void {
      this.setData({ validityEnd: e.detail.value, 'errors.validity': '' });
    },

    onLongTermChange(e: WechatMiniprogram.CustomEvent<{ value: boolean }>): void {
      this.setData({ longTerm: Boolean(e.detail.value), 'errors.validity': '' });
    },

    async onSubmitTap(): Promise<void> {
      if (this.data.submitting) return;
      const { name, idNumber, phone, agreed, existingUser, validityStart, validityEnd, longTerm } = this.data;
      const errors: FieldErrors = {
        name: nameError(name) ?? '',
        idNumber: idNumberError(idNumber) ?? '',
        phone: phoneError(phone) ?? '',
        agreement: agreed ? '' : '请阅读并勾选同意后再继续',
        validity: existingUser ? validityError(validityStart, validityEnd, longTerm) ?? '' : '',
      };
      if (Object.values(errors).some(Boolean)) {
        this.setData({ errors, formError: '请按提示修改后再提交' });
        return;
      }
      const body: SaveProfileRequest = {
        name: name.trim(),
        idNumber: normalizeIdNumber(idNumber),
        phone: phone.replace(/\s+/g, ''),
        agreementVersion: this.data.agreementVersion,
        agreementAccepted: true,
        entry: existingUser ? 'existing_user' : 'new_user',
        ...(existingUser ? { idValidity: { start: validityStart, end: longTerm ? null : validityEnd } } : {}),
      };
      this.setData({ submitting: true, errors, formError: '' });
      try {
        const status = await api('POST /api/v1/verification/profile', body);
        this.setData({ submitting: false, faceMessage: '' });
        this.applyStatus(status);
      } catch (err) {
        this.setData({ submitting: false });
        this.showSubmitError(err);
      }
    },

    showSubmitError(err: unknown): void {
      if (err instanceof ApiRequestError && err.code === 'VALIDATION_FAILED' && err.issues.length > 0) {
        const errors: FieldErrors = { ...NO_ERRORS };
        const unplaced: string[] = [];
        for (const issue of err.issues as readonly ValidationIssue[]) {
          const field = fieldOf(issue.path);
          if (field && !errors[field]) errors[field] = issue.message;
          else if (!field) unplaced.push(issue.message);
        }
        this.setData({ errors, formError: unplaced.join('；') || '请按提示修改后再提交' });
        return;
      }
      if (err instanceof ApiRequestError && (err.code === 'AGREEMENT_OUTDATED' || err.code === 'ALREADY_VERIFIED')) {
        // The agreement changed (show the new one, ask again) or the driver is already done.
        const message = err.message;
        void this.load().then(() => this.setData({ agreed: false, formError: message }));
        return;
      }
      this.setData({ formError: userMessage(err) });
    },

    async onFaceTap(): Promise<void> {
      if (this.data.faceBusy) return;
      this.setData({ faceBusy: true, faceMessage: '', navigateHint: '' });
      try {
        const { verifyId } = await api('POST /api/v1/verification/face/start');
        await runFacialVerify(verifyId);
        const result = await api('POST /api/v1/verification/face/complete', { verifyId });
        this.setData({ faceBusy: false, faceMessage: result.passed ? '' : result.message || TEXT.faceInterrupted });
        this.applyStatus(result.verification);
      } catch (err) {
        this.setData({ faceBusy: false, faceMessage: userMessage(err) });
      }
    },

    onEditProfileTap(): void {
      this.setData({ phase: 'form', faceMessage: '' });
    },

    go(url: string): void {
      this.setData({ navigateHint: '' });
      wx.navigateTo({ url, fail: () => this.setData({ navigateHint: '页面打开失败，请稍后再试' }) });
    },

    onSmsTap(): void {
      this.go(ROUTES.verifySms);
    },

    onPhotosTap(): void {
      this.go(ROUTES.verifyPhotos);
    },

    onDoneTap(): void {
      wx.navigateBack({ fail: () => wx.reLaunch({ url: ROUTES.home }) });
    },
  },
});
