/**
 * The officer's shot requests (交警请您拍摄 …, 拍摄 with the camera only — the scene as it is now,
 * no album) and the photos on their way (progress, 重试). The photo itself goes back to the page
 * (`photo`: shotId, kind, tempFilePath, size), which owns the upload queue; so does 重试 (`retryupload`).
 */
import type { ShotView, UploadView } from '../../pages/call/views';

Component({
  options: { styleIsolation: 'apply-shared' },

  properties: {
    shots: { type: Array, value: [] as ShotView[] },
    uploads: { type: Array, value: [] as UploadView[] },
    evidenceCount: { type: Number, value: 0 },
  },

  data: {
    shotError: '',
  },

  methods: {
    onShootTap(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { id: string }>): void {
      const shot = (this.data.shots as ShotView[]).find((s) => s.id === e.currentTarget.dataset.id);
      if (!shot) return;
      this.setData({ shotError: '' });
      wx.chooseMedia({
        count: 1,
        mediaType: ['image'],
        sourceType: ['camera'],
        camera: 'back',
        success: (res) => {
          const file = res.tempFiles[0];
          if (file) this.triggerEvent('photo', { shotId: shot.id, kind: shot.kind, tempFilePath: file.tempFilePath, size: file.size });
        },
        fail: (err) => {
          if (/cancel/i.test(err.errMsg)) return;
          this.setData({ shotError: '相机没有打开。请在设置中允许使用摄像头后再拍。' });
        },
      });
    },

    onUploadRetryTap(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { key: string }>): void {
      this.triggerEvent('retryupload', { key: e.currentTarget.dataset.key });
    },
  },
});
