/**
 * 现场安全确认 (ROUTES.reportSafety), the first step of reporting: before anything else the driver
 * confirms the hazard lights are on, the warning triangle stands 50–100 m behind the car and
 * everybody is off the carriageway. 下一步 stays disabled until all three are ticked; the server
 * records the confirmation (POST /safety-checks) and its id goes with the case.
 *
 * `?then=back`: opened again from the questions page because the confirmation expired; after
 * confirming, go back there (answers kept) instead of on to the location.
 */
import { ROUTES } from '../../routes';
import { userMessage } from '../../utils/errors';
import { clearFlow, updateFlow } from '../../utils/reportFlow';
import { api } from '../../utils/request';

export interface SafetyItem {
  key: 'hazardLightsOn' | 'warningTrianglePlaced' | 'peopleInSafePlace';
  title: string;
  hint: string;
}

export const SAFETY_ITEMS: readonly SafetyItem[] = [
  { key: 'hazardLightsOn', title: '已开启危险报警闪光灯', hint: '就是「双闪」，按方向盘附近的红色三角按钮。' },
  { key: 'warningTrianglePlaced', title: '已在车后 50～100 米处摆放三角警示牌', hint: '沿来车方向放在车后，让后面的车辆提前看到。' },
  { key: 'peopleInSafePlace', title: '车上人员已撤到安全地方', hint: '所有人离开车道，站到护栏外或路边，不要站在车旁或车后。' },
];

type Checked = Record<SafetyItem['key'], boolean>;

Component({
  properties: {
    /** Page query: `back` when re-confirming for the questions page. */
    then: { type: String, value: '' },
  },

  data: {
    items: SAFETY_ITEMS,
    checked: { hazardLightsOn: false, warningTrianglePlaced: false, peopleInSafePlace: false } as Checked,
    allChecked: false,
    submitting: false,
    errorMessage: '',
  },

  lifetimes: {
    attached(): void {
      // A report starts here: whatever an earlier, unfinished one left behind is not this accident.
      if (this.properties.then !== 'back') clearFlow();
    },
  },

  methods: {
    onCheckChange(e: WechatMiniprogram.CustomEvent<{ checked: boolean }, Record<string, never>, { key: SafetyItem['key'] }>): void {
      const checked: Checked = { ...this.data.checked, [e.currentTarget.dataset.key]: Boolean(e.detail.checked) };
      this.setData({ checked, allChecked: Object.values(checked).every(Boolean), errorMessage: '' });
    },

    async onContinueTap(): Promise<void> {
      if (!this.data.allChecked || this.data.submitting) return;
      this.setData({ submitting: true, errorMessage: '' });
      try {
        const res = await api('POST /api/v1/safety-checks', { hazardLightsOn: true, warningTrianglePlaced: true, peopleInSafePlace: true });
        updateFlow({ safetyCheckId: res.safetyCheckId, safetyConfirmedAt: res.confirmedAt });
        this.setData({ submitting: false });
        const fail = (): void => this.setData({ errorMessage: '页面打开失败，请稍后再试' });
        if (this.properties.then === 'back') wx.navigateBack({ fail: () => wx.redirectTo({ url: ROUTES.reportQuestions, fail }) });
        else wx.navigateTo({ url: ROUTES.reportLocation, fail });
      } catch (err) {
        this.setData({ submitting: false, errorMessage: userMessage(err) });
      }
    },
  },
});
