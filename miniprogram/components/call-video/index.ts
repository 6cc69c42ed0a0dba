/**
 * The video: the officer big on top, the other parties small, our own camera (<live-pusher>) beside
 * them, and what to do when it is not working (permission refused, reconnecting, given up). It
 * only shows what the page's CallSession reports; 去设置 / 重新连接 / the camera refused by the
 * phone go back to the page as events (`opensetting`, `retry`, `denied`).
 */
import type { PlayerView } from '../../utils/call/videoChannel';

Component({
  options: { styleIsolation: 'apply-shared' },

  properties: {
    videoState: { type: String, value: 'idle' },
    videoMessage: { type: String, value: '' },
    settingHint: { type: String, value: '' },
    pusherUrl: { type: String, value: '' },
    players: { type: Array, value: [] as PlayerView[] },
  },

  methods: {
    onOpenSettingTap(): void {
      this.triggerEvent('opensetting');
    },

    onVideoRetryTap(): void {
      this.triggerEvent('retry');
    },

    /** The <live-pusher> itself failed: 10001/10002 are the camera / microphone refused by the phone. */
    onPusherError(e: WechatMiniprogram.CustomEvent<{ errCode: number; errMsg: string }>): void {
      if (e.detail.errCode === 10001 || e.detail.errCode === 10002) this.triggerEvent('denied');
    },

    onSwitchCameraTap(): void {
      // The pusher lives inside this component: its own selector query finds it (the documented way for a
      // component); the page-wide context is the fallback.
      const query = typeof this.createSelectorQuery === 'function' ? this.createSelectorQuery() : null;
      const fallback = () => {
        if (typeof wx.createLivePusherContext === 'function') wx.createLivePusherContext().switchCamera({});
      };
      if (!query) return fallback();
      query
        .select('#pusher')
        .context((res) => {
          const context = (res as { context?: WechatMiniprogram.LivePusherContext } | null)?.context;
          if (context) context.switchCamera({});
          else fallback();
        })
        .exec();
    },
  },
});
