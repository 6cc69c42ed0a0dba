/**
 * The other ways to handle an accident when video quick handling cannot take it (not eligible, a
 * long wait, redirected by the officer), in plain words, and the 122 call they share.
 */
import type { Alternative, FailedVerdict } from '../../typings';

export interface AlternativeView {
  kind: Alternative;
  title: string;
  text: string;
  /** Shows a 「拨打 122」 button. */
  call122: boolean;
}

const TEXT: Record<Alternative, Omit<AlternativeView, 'kind'>> = {
  call_122: {
    title: '拨打 122 报警',
    text: '由交警指挥中心安排处理。请说清事故地点和有无人员受伤。',
    call122: true,
  },
  officer_on_scene: {
    title: '原地等待交警到场',
    text: '请保持危险报警闪光灯开启、警示牌摆放好，人员撤到护栏外或路边安全处，拨打 122 说明地点后等待交警到场。',
    call122: true,
  },
  photo_quick_handling: {
    title: '使用「交管12123」拍照快处',
    text: '打开「交管12123」App，选择事故快处，按提示拍摄现场和车辆照片并上传，然后撤离现场。',
    call122: false,
  },
  self_settlement: {
    title: '自行协商处理',
    text: '各方对事故事实和责任没有争议的，可以填写事故快速处理协议书后撤离现场，再联系保险公司理赔。',
    call122: false,
  },
};

/** Most urgent first: a person on the phone before an app or a form. */
const ORDER: readonly Alternative[] = ['call_122', 'officer_on_scene', 'photo_quick_handling', 'self_settlement'];

/** The alternatives named by the given verdicts (each once), most urgent first. */
export function alternativesOf(verdicts: readonly FailedVerdict[]): Alternative[] {
  const named = new Set<Alternative>(verdicts.flatMap((v) => v.alternatives));
  return ORDER.filter((kind) => named.has(kind));
}

export function alternativeViews(kinds: readonly Alternative[]): AlternativeView[] {
  const wanted = new Set(kinds);
  return ORDER.filter((kind) => wanted.has(kind)).map((kind) => ({ kind, ...TEXT[kind] }));
}

/** Offered while the wait for an officer is long. */
export const LONG_WAIT_ALTERNATIVES: readonly Alternative[] = ['call_122', 'photo_quick_handling', 'self_settlement'];

/** Opens the phone's dialler with 122. Resolves false when it could not (the driver cancelling included). */
export function call122(): Promise<boolean> {
  return new Promise((resolve) => {
    wx.makePhoneCall({ phoneNumber: '122', success: () => resolve(true), fail: () => resolve(false) });
  });
}

/** An ISO instant as Beijing wall time, e.g. 「6月1日 07:30」 (the phone's own time zone may be anything). */
export function beijingTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const d = new Date(ms + 8 * 3600 * 1000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}
