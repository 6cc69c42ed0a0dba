/**
 * Home: what 事故视频快处 is, when it may be used, and the entry button. Written with Component()
 * (WeChat accepts it for pages; miniprogram-simulate cannot run Page()).
 *
 * The entry checks who the driver is before anything else: login, then GET /me. Only a verified
 * driver may start a case; everybody else is told the next step. Starting a case comes later.
 */
import { ROUTES } from '../../routes';
import { userMessage } from '../../utils/errors';
import { api } from '../../utils/request';
import { ensureLogin } from '../../utils/session';
import { REMINDERS, STEPS, VERIFICATION_NEXT_STEP } from './content';

type Phase = 'idle' | 'loading' | 'needs_verification' | 'ready' | 'error';

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
  },

  methods: {
    async onEntryTap(): Promise<void> {
      if (this.data.phase === 'loading') return; // a second tap while waiting must not log in twice
      this.setData({ phase: 'loading', errorMessage: '', navigateHint: '' });
      try {
        await ensureLogin();
        const me = await api('GET /api/v1/me');
        if (me.verification === 'verified') {
          this.setData({ phase: 'ready' });
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

    onMeTap(): void {
      wx.navigateTo({ url: ROUTES.me });
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
