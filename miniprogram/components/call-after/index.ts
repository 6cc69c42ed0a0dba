/**
 * After the call: released (「请立即撤离」, the server's notice and the safety reminders),
 * redirected (the officer's reason and the other ways, 122 among them) or parked after a long
 * drop (abandoned: 继续处理 puts the case back in the queue). After release, 查看网办进度 leads to
 * where the 认定书 will arrive. Emits `view` with the resumed case.
 */
import type { PartyCallView } from '../../../typings/api/call';
import type { AlternativeView } from '../../utils/alternatives';
import { afterCallActions } from '../../behaviors/afterCallActions';
import { ROUTES } from '../../routes';
import { RELEASE_REMINDERS, RELEASE_TITLE } from '../../pages/call/content';

Component({
  options: { styleIsolation: 'apply-shared' },
  behaviors: [afterCallActions],

  properties: {
    caseId: { type: String, value: '' },
    /** 'released' | 'redirected' | 'abandoned' */
    phase: { type: String, value: '' },
    releaseNotice: { type: String, value: '' },
    redirectReason: { type: String, value: '' },
    alternatives: { type: Array, value: [] as AlternativeView[] },
  },

  data: {
    releaseTitle: RELEASE_TITLE,
    releaseReminders: RELEASE_REMINDERS,
  },

  methods: {
    afterResume(view: PartyCallView): void {
      this.triggerEvent('view', view);
    },

    /** After release: where the 认定书 will arrive. The call is over, so the call page gives way to it. */
    onProgressTap(): void {
      wx.redirectTo({ url: ROUTES.progress });
    },
  },
});
