import type { CheckKind, EvidenceItem, ShotKind } from '../../../typings/api/call';
import type { Alternative } from '../../../typings/api/eligibility';
import type { CaseState } from '../../../typings/api/cases';

/** The guided-shot checklist as the dispatcher reads it (the phone gets the longer instruction). */
export const SHOT_LABELS: Record<ShotKind, string> = {
  overview_behind: '后方全景（3–5 米）',
  overview_ahead: '前方全景（3–5 米）',
  impact_point: '碰撞部位',
  plate: '号牌',
  skid_marks_debris: '刹车痕迹 / 散落物',
  driving_licence: '驾驶证',
  vehicle_licence: '行驶证',
  insurance_policy: '交强险保单',
  other: '其他',
};

/** Checklist order: the scene first, then the vehicle, then the papers. */
export const SHOT_CHECKLIST: ShotKind[] = [
  'overview_behind',
  'overview_ahead',
  'impact_point',
  'plate',
  'skid_marks_debris',
  'driving_licence',
  'vehicle_licence',
  'insurance_policy',
];

export const EVIDENCE_KIND_LABELS: Record<EvidenceItem['kind'], string> = {
  ...SHOT_LABELS,
  still_frame: '视频截图',
  recording: '通话录像',
};

export const CHECK_LABELS: Record<CheckKind, string> = {
  licence: '驾驶证',
  vehicle: '机动车',
  insurance: '交强险',
};

/** The other ways of handling it, in the order a dispatcher would offer them. */
export const ALTERNATIVE_LABELS: Record<Alternative, string> = {
  officer_on_scene: '民警到场处理',
  call_122: '拨打 122 报警',
  photo_quick_handling: '「交管12123」拍照快处',
  self_settlement: '自行协商处理',
};
export const ALTERNATIVE_ORDER: Alternative[] = ['officer_on_scene', 'call_122', 'photo_quick_handling', 'self_settlement'];

export const STATE_LABELS: Partial<Record<CaseState, string>> = {
  queued: '排队中',
  in_call: '通话中',
  collecting: '取证中',
  released: '已放行',
  determined: '已认定',
  delivered: '已送达',
  redirected: '已转其他方式',
  cancelled: '已取消',
  abandoned: '通话中断',
  closed: '已结案',
};

/** GA 24.7 号牌种类 the desk meets most; the field also takes any other two-digit code. */
export const PLATE_TYPES: { value: string; label: string }[] = [
  { value: '02', label: '02 小型汽车' },
  { value: '01', label: '01 大型汽车' },
  { value: '52', label: '52 小型新能源汽车' },
  { value: '51', label: '51 大型新能源汽车' },
  { value: '07', label: '07 普通摩托车' },
];
