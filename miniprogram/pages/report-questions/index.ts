/**
 * 事故情况 (ROUTES.reportQuestions): the §13 questions and the reporter's plate, then
 * POST /eligibility/check with the location from the previous step. In that order:
 * 1. the fix is too rough (`needsMapConfirmation`) → the driver pins the spot on a map, and the check
 *    is sent again with `confirmedOnMap`;
 * 2. an open case close by (`nearbyOpenCases`) → probably the other party already reported it: the
 *    driver asks them for the 6-character code (or scans its QR code) on the join page, or 新建报案.
 *    The answer carries nothing to join by — a location is no proof of being in that accident;
 * 3. not eligible → the result page (every reason, and what to do instead);
 * 4. eligible → POST /cases with one Idempotency-Key per submission, reused by 重试, so a lost
 *    answer never makes two cases → the waiting page.
 * An expired safety confirmation sends the driver back to confirm again (the answers are kept); an
 * open case of the driver's (OPEN_CASE_EXISTS) is shown instead of a new one; LOCATION_UNCONFIRMED
 * asks for the map pin.
 */
import type { CaseAnswers, CreateCaseRequest, DriverCaseView, EligibilityResponse, LocationInput } from '../../../typings';
import { ROUTES } from '../../routes';
import { hasCode, userMessage } from '../../utils/errors';
import { LOCATE_MESSAGES, LocateError, pinOnMap } from '../../utils/location';
import { normalizePlate, plateError } from '../../utils/plate';
import { clearFlow, createKeyFor, loadFlow, rememberPlate, rememberedPlate, updateFlow } from '../../utils/reportFlow';
import { api, apiWith } from '../../utils/request';
import { type AnswerValues, NO_ANSWERS, QUESTIONS, fromAnswers, toAnswers } from './content';

type Phase =
  | 'form' // answering
  | 'checking' // eligibility check under way
  | 'map' // asked to pin the spot on a map
  | 'nearby' // told of a case just reported close by: join it by its code, or report anew
  | 'creating' // POST /cases under way
  | 'create_error' // it failed: 重试 sends the same request again
  | 'safety_expired'; // confirm the scene is safe again, then continue


interface NearbyView {
  key: string;
  text: string;
}

function nearbyViews(res: EligibilityResponse): NearbyView[] {
  // Minutes by the server's clock (checkedAt), not the phone's.
  const now = Date.parse(res.checkedAt);
  return res.nearbyOpenCases.map((c, i) => {
    const minutes = Math.max(0, Math.round((now - Date.parse(c.createdAt)) / 60000));
    const when = Number.isFinite(minutes) && minutes >= 1 ? `${minutes} 分钟前` : '刚刚';
    return {
      key: String(i),
      text: `${Math.round(c.distanceM)} 米外、${when}报案，共 ${c.vehicleCount} 辆车，已有 ${c.partyCount} 辆车的司机加入。`,
    };
  });
}

/** A failure the driver's answers caused (or the time of day): no map pin or nearby case changes it. */
function failsRegardlessOfPlace(res: EligibilityResponse): boolean {
  return res.failed.some((v) => v.rule === 'case' || v.rule === 'hours');
}

Component({
  data: {
    questions: QUESTIONS,
    values: { ...NO_ANSWERS } as AnswerValues,
    errors: {} as Record<string, string>,
    plate: '',
    plateError: '',
    formError: '',
    phase: 'form' as Phase,
    locationText: '',
    mapAddress: '',
    mapError: '',
    nearby: [] as NearbyView[],
    nearbyError: '',
    errorMessage: '',
    safetyMessage: '',
    /** What to do once the scene is confirmed safe again. */
    afterSafety: 'create' as 'check' | 'create',
  },

  lifetimes: {
    attached(): void {
      const flow = loadFlow();
      this.setData({
        values: flow.answers ? fromAnswers(flow.answers) : { ...NO_ANSWERS },
        plate: rememberedPlate() || '粤',
        locationText: this.locationText(flow.location),
      });
    },
  },

  pageLifetimes: {
    show(): void {
      const flow = loadFlow();
      this.setData({ locationText: this.locationText(flow.location) });
      // Back from confirming the scene again: carry on where the driver was.
      if (this.data.phase !== 'safety_expired' || !flow.safetyCheckId) return;
      if (this.data.afterSafety === 'create') void this.create();
      else if (flow.location) void this.check(flow.location);
      else this.setData({ phase: 'form' });
    },
  },

  methods: {
    locationText(location: LocationInput | null): string {
      if (!location) return '';
      return location.confirmedOnMap ? '事故地点：已在地图上确认' : `事故地点：已定位（精度约 ${location.accuracyM} 米）`;
    },

    onAnswerChange(e: WechatMiniprogram.CustomEvent<{ value: string }, Record<string, never>, { key: keyof CaseAnswers }>): void {
      const key = e.currentTarget.dataset.key;
      this.setData({ [`values.${key}`]: String(e.detail.value), [`errors.${key}`]: '', formError: '' });
    },

    onPlateChange(e: WechatMiniprogram.CustomEvent<{ value: string }>): void {
      this.setData({ plate: e.detail.value ?? '', plateError: '', formError: '' });
    },

    onPlateBlur(): void {
      const plate = this.data.plate;
      if (plate.length > 1) this.setData({ plateError: plateError(plate) ?? '' });
    },

    /** The answers and plate, or null after pointing out what is missing. */
    validate(): { answers: CaseAnswers; plate: string } | null {
      const values = this.data.values as AnswerValues;
      const errors: Record<string, string> = {};
      for (const q of QUESTIONS) if (values[q.key] === '') errors[q.key] = '请选择一项';
      const plateProblem = plateError(this.data.plate) ?? '';
      const answers = toAnswers(values);
      if (!answers || plateProblem) {
        this.setData({ errors, plateError: plateProblem, formError: '还有问题没有回答或填写有误，请按红字提示修改' });
        return null;
      }
      this.setData({ errors: {}, plateError: '', formError: '' });
      return { answers, plate: normalizePlate(this.data.plate) };
    },

    async onSubmitTap(): Promise<void> {
      if (this.data.phase !== 'form') return;
      const input = this.validate();
      if (!input) return;
      const flow = loadFlow();
      updateFlow({ answers: input.answers });
      rememberPlate(input.plate);
      this.setData({ plate: input.plate });
      if (!flow.safetyCheckId) {
        this.setData({ phase: 'safety_expired', afterSafety: 'check', safetyMessage: '请先完成现场安全确认。' });
        return;
      }
      if (!flow.location) {
        this.setData({ formError: '还没有获取事故地点，请先定位' });
        wx.navigateTo({ url: ROUTES.reportLocation });
        return;
      }
      await this.check(flow.location);
    },

    async check(location: LocationInput): Promise<void> {
      const answers = loadFlow().answers;
      if (!answers) return;
      this.setData({ phase: 'checking', formError: '', mapError: '' });
      try {
        const res = await api('POST /api/v1/eligibility/check', { location, answers });
        updateFlow({ eligibility: res });
        this.decide(res, location, false);
      } catch (err) {
        this.setData({ phase: 'form', formError: userMessage(err) });
      }
    },

    decide(res: EligibilityResponse, location: LocationInput, nearbyDeclined: boolean): void {
      if (res.needsMapConfirmation && !location.confirmedOnMap && !failsRegardlessOfPlace(res)) {
        this.setData({ phase: 'map', mapAddress: res.place.address });
        return;
      }
      if (!nearbyDeclined && res.nearbyOpenCases.length > 0 && !failsRegardlessOfPlace(res)) {
        this.setData({ phase: 'nearby', nearby: nearbyViews(res), nearbyError: '' });
        return;
      }
      if (!res.eligible) {
        this.setData({ phase: 'form' });
        wx.navigateTo({ url: ROUTES.reportResult, fail: () => this.setData({ formError: '页面打开失败，请稍后再试' }) });
        return;
      }
      void this.create();
    },

    async onMapTap(): Promise<void> {
      const location = loadFlow().location;
      if (!location) return;
      this.setData({ mapError: '' });
      try {
        const pinned = await pinOnMap(location);
        if (!pinned) return; // backed out of the map: still asked
        updateFlow({ location: pinned.location, locationLabel: pinned.label });
        this.setData({ locationText: this.locationText(pinned.location) });
        await this.check(pinned.location);
      } catch (err) {
        this.setData({ mapError: err instanceof LocateError ? LOCATE_MESSAGES[err.kind] : userMessage(err) });
      }
    },

    /** To the join page (code or QR): back from it, this choice is still here, 新建报案 included. */
    onJoinNearbyTap(): void {
      if (this.data.phase !== 'nearby') return;
      this.setData({ nearbyError: '' });
      wx.navigateTo({ url: ROUTES.reportJoin, fail: () => this.setData({ nearbyError: '页面打开失败，请稍后再试' }) });
    },

    onNewCaseTap(): void {
      const flow = loadFlow();
      if (this.data.phase !== 'nearby' || !flow.eligibility || !flow.location) return;
      this.decide(flow.eligibility, flow.location, true);
    },

    async create(): Promise<void> {
      const flow = loadFlow();
      if (!flow.safetyCheckId || !flow.location || !flow.answers) {
        this.setData({ phase: 'form', formError: '报案信息不完整，请重新填写' });
        return;
      }
      const body: CreateCaseRequest = { safetyCheckId: flow.safetyCheckId, location: flow.location, answers: flow.answers, plate: normalizePlate(this.data.plate) };
      const idempotencyKey = createKeyFor(body);
      this.setData({ phase: 'creating', errorMessage: '' });
      try {
        this.done(await apiWith('POST /api/v1/cases', { idempotencyKey }, body));
      } catch (err) {
        this.createFailed(err);
      }
    },

    createFailed(err: unknown): void {
      if (hasCode(err, 'SAFETY_CHECK_EXPIRED', 'SAFETY_CHECK_REQUIRED')) {
        updateFlow({ safetyCheckId: null });
        this.setData({ phase: 'safety_expired', afterSafety: 'create', safetyMessage: err.message });
        return;
      }
      if (hasCode(err, 'OPEN_CASE_EXISTS') && err.caseId) {
        // Reported a moment ago (a lost answer, another tap): that case is this driver's, go on with it.
        this.goToCase(err.caseId);
        return;
      }
      if (hasCode(err, 'LOCATION_UNCONFIRMED')) {
        // The server's own check found the fix too rough: the same map pin as after the first check.
        this.setData({ phase: 'map', mapAddress: loadFlow().eligibility?.place.address ?? '', mapError: err.message });
        return;
      }
      if (hasCode(err, 'VALIDATION_FAILED')) {
        const plateIssue = err.issues.find((i) => i.path === 'plate');
        if (plateIssue) {
          this.setData({ phase: 'form', plateError: plateIssue.message, formError: '请按红字提示修改' });
          return;
        }
      }
      this.setData({ phase: 'create_error', errorMessage: userMessage(err) });
    },

    onRetryCreateTap(): Promise<void> {
      return this.create();
    },

    onBackToFormTap(): void {
      this.setData({ phase: 'form', errorMessage: '', nearbyError: '', mapError: '' });
    },

    onConfirmSafetyTap(): void {
      wx.navigateTo({ url: `${ROUTES.reportSafety}?then=back`, fail: () => this.setData({ safetyMessage: '页面打开失败，请稍后再试' }) });
    },

    /** The case exists (created or joined): the report is over, the waiting page takes it from here. */
    done(view: DriverCaseView): void {
      this.goToCase(view.caseId);
    },

    goToCase(caseId: string): void {
      clearFlow();
      wx.reLaunch({ url: `${ROUTES.reportWaiting}?caseId=${encodeURIComponent(caseId)}` });
    },
  },
});
