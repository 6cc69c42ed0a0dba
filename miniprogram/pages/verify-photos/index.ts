/**
 * 上传身份证人工审核 (ROUTES.verifyPhotos): photos of both sides of the ID card, each uploaded as soon
 * as it is picked (with progress and 重试), then submitted for review by the traffic police. Also the
 * way back after a rejected review.
 */
import type { IdPhotoSide } from '../../../typings';
import { ROUTES } from '../../routes';
import { userMessage } from '../../utils/errors';
import { api } from '../../utils/request';
import { idPhotoError, uploadIdPhoto } from '../../utils/upload';

type SlotState = 'empty' | 'uploading' | 'done' | 'failed';

interface Slot {
  state: SlotState;
  /** Local temp file: the preview, and what 重试 sends again. */
  path: string;
  progress: number;
  error: string;
}

const EMPTY: Slot = { state: 'empty', path: '', progress: 0, error: '' };
const SIDES: readonly IdPhotoSide[] = ['front', 'back'];

function isSide(value: unknown): value is IdPhotoSide {
  return value === 'front' || value === 'back';
}

Component({
  data: {
    phase: 'form' as 'form' | 'pending',
    front: { ...EMPTY } as Slot,
    back: { ...EMPTY } as Slot,
    ready: false,
    submitting: false,
    submitError: '',
  },

  methods: {
    setSlot(side: IdPhotoSide, slot: Partial<Slot>): void {
      const next: Slot = { ...this.data[side], ...slot };
      const other = this.data[side === 'front' ? 'back' : 'front'];
      this.setData({ [side]: next, ready: next.state === 'done' && other.state === 'done', submitError: '' });
    },

    onChooseTap(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { side: string }>): void {
      const side = e.currentTarget.dataset.side;
      if (!isSide(side) || this.data[side].state === 'uploading') return;
      wx.chooseMedia({
        count: 1,
        mediaType: ['image'],
        sourceType: ['camera', 'album'],
        success: (res) => {
          const file = res.tempFiles[0];
          if (!file) return;
          const problem = idPhotoError(file);
          if (problem) {
            this.setSlot(side, { ...EMPTY, error: problem });
            return;
          }
          this.setSlot(side, { path: file.tempFilePath });
          void this.upload(side);
        },
        fail: (err) => {
          if (/cancel/i.test(err.errMsg)) return; // the driver changed their mind
          this.setSlot(side, { error: '无法打开相机或相册，请在设置中允许后重试' });
        },
      });
    },

    async upload(side: IdPhotoSide): Promise<void> {
      const path = this.data[side].path;
      if (!path) return;
      this.setSlot(side, { state: 'uploading', progress: 0, error: '' });
      try {
        await uploadIdPhoto(side, path, (progress) => {
          if (this.data[side].path === path) this.setSlot(side, { progress });
        });
        this.setSlot(side, { state: 'done', progress: 100 });
      } catch (err) {
        this.setSlot(side, { state: 'failed', error: userMessage(err) });
      }
    },

    onRetryTap(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { side: string }>): Promise<void> {
      const side = e.currentTarget.dataset.side;
      return isSide(side) ? this.upload(side) : Promise.resolve();
    },

    async onSubmitTap(): Promise<void> {
      if (this.data.submitting) return;
      if (!SIDES.every((side) => this.data[side].state === 'done')) {
        this.setData({ submitError: '请先上传身份证正面和背面照片' });
        return;
      }
      this.setData({ submitting: true, submitError: '' });
      try {
        const status = await api('POST /api/v1/verification/manual-review');
        this.setData({ submitting: false, phase: status.status === 'verified' || status.status === 'pending_review' ? 'pending' : 'form' });
        if (status.status !== 'pending_review' && status.status !== 'verified') this.setData({ submitError: '提交没有成功，请稍后重试' });
      } catch (err) {
        this.setData({ submitting: false, submitError: userMessage(err) });
      }
    },

    onDoneTap(): void {
      wx.navigateBack({ fail: () => wx.reLaunch({ url: ROUTES.home }) });
    },
  },
});
