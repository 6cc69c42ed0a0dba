/**
 * What a driver can do once the video call is over or cannot happen, wherever that is shown (the
 * call page and its parts, the waiting page): 继续处理 (POST /resume puts a parked case back in
 * the queue), 拨打 122, 返回首页. The host declares `caseId`; it shows `resuming`, `resumeError`
 * and `callHint`, and says what follows a resume in `afterResume` (the call page shows the view
 * it got, the waiting page loads the case again). `canResume` false ignores 继续处理.
 */
import type { PartyCallView } from '../../typings/api/call';
import { ROUTES } from '../routes';
import { call122 } from '../utils/alternatives';
import { userMessage } from '../utils/errors';
import { apiWith } from '../utils/request';

export const afterCallActions = Behavior({
  properties: {
    caseId: { type: String, value: '' },
  },

  data: {
    canResume: true,
    resuming: false,
    resumeError: '',
    callHint: '',
  },

  methods: {
    async onResumeTap(): Promise<void> {
      if (!this.data.canResume || this.data.resuming) return;
      this.setData({ resuming: true, resumeError: '' });
      try {
        const view = await apiWith('POST /api/v1/cases/:id/resume', { params: { id: this.data.caseId } });
        this.setData({ resuming: false });
        await this.afterResume(view);
      } catch (err) {
        this.setData({ resuming: false, resumeError: userMessage(err) });
      }
    },

    /** The host's own (a method of the same name in the host replaces this one). */
    afterResume(_view: PartyCallView): void | Promise<void> {
      return undefined;
    },

    async onCall122Tap(): Promise<void> {
      this.setData({ callHint: '' });
      if (!(await call122())) this.setData({ callHint: '没有拨出，请直接用手机拨打 122' });
    },

    onHomeTap(): void {
      wx.reLaunch({ url: ROUTES.home });
    },
  },
});
