/**
 * The 复核 application's photos: 添加照片 (camera or album, up to `max` in all), each photo with its
 * upload's progress, 重试 when it failed, and 移除 (it then is not part of the application). The
 * files go back to the page (`photos`: [{ tempFilePath, size }]), which owns the upload queue; so
 * do 重试 (`retry`) and 移除 (`remove`).
 */
import type { UploadView } from '../../pages/call/views';

export interface PhotoView extends UploadView {
  thumb: string;
}

Component({
  options: { styleIsolation: 'apply-shared' },

  properties: {
    photos: { type: Array, value: [] as PhotoView[] },
    max: { type: Number, value: 6 },
  },

  data: {
    pickError: '',
  },

  methods: {
    onAddTap(): void {
      const room = this.data.max - (this.data.photos as PhotoView[]).length;
      if (room <= 0) return;
      this.setData({ pickError: '' });
      wx.chooseMedia({
        count: room,
        mediaType: ['image'],
        sourceType: ['camera', 'album'],
        sizeType: ['compressed'],
        success: (res) => {
          const files = res.tempFiles.slice(0, room).map((f) => ({ tempFilePath: f.tempFilePath, size: f.size }));
          if (files.length) this.triggerEvent('photos', { files });
        },
        fail: (err) => {
          if (/cancel/i.test(err.errMsg)) return;
          this.setData({ pickError: '没有取到照片。请在设置中允许使用摄像头和相册后再试。' });
        },
      });
    },

    onRetryTap(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { key: string }>): void {
      this.triggerEvent('retry', { key: e.currentTarget.dataset.key });
    },

    onRemoveTap(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { key: string }>): void {
      this.triggerEvent('remove', { key: e.currentTarget.dataset.key });
    },
  },
});
