/**
 * 核对结果 (ROUTES.reportResult): the service cannot take this accident. Every failed rule's reason
 * (all of them, not just the first), when the service opens next if that is the reason, and the
 * other ways to handle it — 122 as a button that dials. Reads the last eligibility answer the
 * questions page kept in the report flow.
 */
import { ROUTES } from '../../routes';
import { type AlternativeView, alternativeViews, alternativesOf, beijingTime, call122 } from '../../utils/alternatives';
import { loadFlow } from '../../utils/reportFlow';

interface ReasonView {
  code: string;
  reason: string;
}

Component({
  data: {
    loaded: false,
    reasons: [] as ReasonView[],
    nextOpenText: '',
    address: '',
    alternatives: [] as AlternativeView[],
    callHint: '',
  },

  lifetimes: {
    attached(): void {
      const eligibility = loadFlow().eligibility;
      if (!eligibility || eligibility.eligible) {
        this.setData({ loaded: false });
        return;
      }
      const nextOpenAt = eligibility.failed.map((v) => v.nextOpenAt).find((t): t is string => Boolean(t));
      this.setData({
        loaded: true,
        reasons: eligibility.failed.map((v) => ({ code: v.code, reason: v.reason })),
        nextOpenText: nextOpenAt ? beijingTime(nextOpenAt) : '',
        address: eligibility.place.address,
        // Nobody may be left without a way forward: 122 always works.
        alternatives: alternativeViews(eligibility.failed.length ? [...alternativesOf(eligibility.failed), 'call_122'] : ['call_122']),
      });
    },
  },

  methods: {
    async onCall122Tap(): Promise<void> {
      this.setData({ callHint: '' });
      if (!(await call122())) this.setData({ callHint: '没有拨出，请直接用手机拨打 122' });
    },

    onChangeAnswersTap(): void {
      wx.navigateBack({ fail: () => wx.reLaunch({ url: ROUTES.home }) });
    },

    onHomeTap(): void {
      wx.reLaunch({ url: ROUTES.home });
    },
  },
});
