/**
 * Home: what 事故视频快处 is, when it may be used, and the entry button. Written with Component()
 * (WeChat accepts it for pages; miniprogram-simulate cannot run Page()).
 *
 * The entry checks who the driver is before anything else: login, then GET /me. Only a verified
 * driver may start a case; everybody else is told the next step. A verified driver with an open
 * case (GET /cases/current) is sent back to it instead of reporting the same accident twice; the
 * others go on to the safety checklist. The open case is also offered as 继续处理 whenever the page
 * shows to a driver who has a session: a case on the call goes back to the call page (which restores
 * it from the server and rejoins the video), a parked one (abandoned) back into the queue first
 * (POST /resume), a waiting one to the waiting page. Other parties join a case from here too.
 *
 * Whether the service takes reports now (GET /service-hours, for the brigade of the report under
 * way if known) is asked on every show and pull-down: while it is suspended or closed a banner says
 * why and until when, with the other ways, and the entry buttons are disabled. A failed question
 * shows nothing: the report's own check decides.
 */
import type { CaseState, DriverCaseView } from '../../../typings';
import { ROUTES } from '../../routes';
import { userMessage } from '../../utils/errors';
import { api, apiWith } from '../../utils/request';
import { loadFlow } from '../../utils/reportFlow';
import { type ServiceNotice, fetchServiceNotice } from '../../utils/serviceStatus';
import { ensureLogin, loadSession } from '../../utils/session';
import { STATE_TEXT } from '../../utils/caseText';
import { REMINDERS, STEPS, VERIFICATION_NEXT_STEP } from './content';

type Phase = 'idle' | 'loading' | 'needs_verification' | 'ready' | 'has_case' | 'error';

/** The GET /cases/current under way, per page instance: callers meanwhile share it. */
const askingCurrent = new WeakMap<object, Promise<DriverCaseView | null>>();
/** The GET /service-hours under way, per page instance (attached and show both ask on opening). */
const askingService = new WeakMap<object, Promise<void>>();

Component({
  data: {
    phase: 'idle' as Phase,
    errorMessage: '',
    verifyTitle: '',
    verifyHint: '',
    verifyAction: '',
    navigateHint: '',
    steps: STEPS,
    reminders: REMINDERS,
    /** The driver's open case, for 继续处理. */
    currentCaseId: '',
    currentCaseTitle: '',
    currentCaseState: '' as CaseState | '',
    resuming: false,
    continueError: '',
    /** Set while the service takes no reports: the banner shows it and the entry is disabled. */
    serviceNotice: null as ServiceNotice | null,
  },

  lifetimes: {
    attached(): void {
      void this.refreshCurrentCase();
      void this.refreshServiceNotice();
    },
  },

  pageLifetimes: {
    show(): void {
      void this.refreshCurrentCase();
      void this.refreshServiceNotice();
    },
  },

  methods: {
    async onPullDownRefresh(): Promise<void> {
      await Promise.all([this.refreshServiceNotice(), this.refreshCurrentCase()]);
      wx.stopPullDownRefresh();
    },

    /** For the brigade of the report under way when its place is known, the whole city otherwise. */
    refreshServiceNotice(): Promise<void> {
      const pending = askingService.get(this);
      if (pending) return pending;
      const asking = fetchServiceNotice(loadFlow().eligibility?.place.brigade?.code ?? null)
        .then((notice) => this.setData({ serviceNotice: notice }))
        .finally(() => askingService.delete(this));
      askingService.set(this, asking);
      return asking;
    },

    /**
     * Quietly asks for the driver's open case. Only with a session: somebody who never logged in has
     * no case, and opening the app must not log anybody in by itself.
     */
    refreshCurrentCase(): Promise<DriverCaseView | null> {
      if (!loadSession()) return Promise.resolve(null);
      const pending = askingCurrent.get(this);
      if (pending) return pending;
      const asking = (async () => {
        try {
          const { case: current } = await api('GET /api/v1/cases/current');
          this.setData({
            currentCaseId: current?.caseId ?? '',
            currentCaseTitle: current ? STATE_TEXT[current.state].title : '',
            currentCaseState: current?.state ?? '',
          });
          if (!current && this.data.phase === 'has_case') this.setData({ phase: 'idle' }); // that case is over
          return current;
        } catch {
          return null; // offline, say: the entry button still works, and the server refuses a second case
        } finally {
          askingCurrent.delete(this);
        }
      })();
      askingCurrent.set(this, asking);
      return asking;
    },

    async onEntryTap(): Promise<void> {
      if (this.data.phase === 'loading') return; // a second tap while waiting must not log in twice
      if (this.data.serviceNotice) return; // the button is disabled: the service takes no reports now
      this.setData({ phase: 'loading', errorMessage: '', navigateHint: '' });
      try {
        await ensureLogin();
        const me = await api('GET /api/v1/me');
        if (me.verification === 'verified') {
          if (await this.refreshCurrentCase()) {
            this.setData({ phase: 'has_case' });
            return;
          }
          this.setData({ phase: 'ready' });
          this.onStartReportTap();
          return;
        }
        const next = VERIFICATION_NEXT_STEP[me.verification];
        this.setData({ phase: 'needs_verification', verifyTitle: next.title, verifyHint: next.hint, verifyAction: next.action });
      } catch (err) {
        this.setData({ phase: 'error', errorMessage: userMessage(err) });
      }
    },

    onRetryTap(): Promise<void> {
      return this.onEntryTap();
    },

    onStartReportTap(): void {
      if (this.data.serviceNotice) return;
      wx.navigateTo({ url: ROUTES.reportSafety, fail: () => this.setData({ navigateHint: '页面打开失败，请稍后再试' }) });
    },

    async onContinueCaseTap(): Promise<void> {
      const caseId = this.data.currentCaseId;
      if (!caseId || this.data.resuming) return;
      const query = `?caseId=${encodeURIComponent(caseId)}`;
      const state = this.data.currentCaseState;
      this.setData({ continueError: '' });
      if (state === 'in_call' || state === 'collecting' || state === 'released') {
        wx.navigateTo({ url: `${ROUTES.call}${query}` });
        return;
      }
      if (state === 'abandoned') {
        // Parked after a long drop: back into the queue with everything collected, then wait there.
        this.setData({ resuming: true });
        try {
          await apiWith('POST /api/v1/cases/:id/resume', { params: { id: caseId } });
        } catch (err) {
          this.setData({ resuming: false, continueError: userMessage(err) });
          return;
        }
        this.setData({ resuming: false, currentCaseState: 'queued', currentCaseTitle: STATE_TEXT.queued.title });
      }
      wx.navigateTo({ url: `${ROUTES.reportWaiting}${query}` });
    },

    onJoinTap(): void {
      wx.navigateTo({ url: ROUTES.reportJoin });
    },

    onMeTap(): void {
      wx.navigateTo({ url: ROUTES.me });
    },

    onProgressTap(): void {
      wx.navigateTo({ url: ROUTES.progress });
    },

    onVerifyTap(): void {
      wx.navigateTo({
        url: ROUTES.verify,
        // Should the page fail to open (an old cached package, say), say so instead of doing nothing.
        fail: () => this.setData({ navigateHint: '实人认证功能即将开放，请稍后再试' }),
      });
    },
  },
});
