import type { CheckKind, EvidenceItem, ShotKind } from '../../../typings/api/call';
import type { Alternative } from '../../../typings/api/eligibility';
import type { CaseState } from '../../../typings/api/cases';
import type { DamagesChoice, LiabilityGrade, LiabilityProposal } from '../../../typings/api/decisions';
import type { ReviewStatus } from '../../../typings/api/reviews';

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

/**
 * A party's 复核 photos are fixed in the same chain (kind `review_evidence`), so the case file lists
 * them too, although EvidenceItem's kind does not name them yet.
 */
export const EVIDENCE_KIND_LABELS: Record<EvidenceItem['kind'] | 'review_evidence', string> = {
  ...SHOT_LABELS,
  still_frame: '视频截图',
  recording: '通话录像',
  review_evidence: '复核材料',
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

export const STATE_LABELS: Record<CaseState, string> = {
  draft: '草稿',
  queued: '排队中',
  in_call: '通话中',
  collecting: '取证中',
  released: '已放行',
  determined: '已认定',
  delivered: '已送达',
  review_requested: '已申请复核',
  reviewed: '已复核',
  redirected: '已转其他方式',
  cancelled: '已取消',
  abandoned: '通话中断',
  closed: '已结案',
};

/** A case's state in words: never its code, even for a state this build does not know yet. */
export function stateLabel(state: string): string {
  return (STATE_LABELS as Record<string, string>)[state] ?? '状态未知';
}

/** GA 24.7 号牌种类 the desk meets most; the field also takes any other two-digit code. */
export const PLATE_TYPES: { value: string; label: string }[] = [
  { value: '02', label: '02 小型汽车' },
  { value: '01', label: '01 大型汽车' },
  { value: '52', label: '52 小型新能源汽车' },
  { value: '51', label: '51 大型新能源汽车' },
  { value: '07', label: '07 普通摩托车' },
];

/** §60 of 《道路交通事故处理程序规定》, in the order the form offers them. */
export const LIABILITY_LABELS: Record<LiabilityGrade, string> = {
  full: '全部责任',
  main: '主要责任',
  equal: '同等责任',
  minor: '次要责任',
  none: '无责任',
};
export const LIABILITY_ORDER: LiabilityGrade[] = ['full', 'main', 'equal', 'minor', 'none'];

export const DAMAGES_LABELS: Record<DamagesChoice, string> = {
  self_settle: '自行协商',
  insurance: '保险理赔',
  mediation: '申请调解',
};
export const DAMAGES_ORDER: DamagesChoice[] = ['self_settle', 'insurance', 'mediation'];

export const PROPOSAL_RULE_LABELS: Record<LiabilityProposal['rule'], string> = {
  one_fits: '一方符合情形',
  all_fit: '各方均符合情形',
  undecided: '无系统建议',
};

/** The simple procedure's record asks for these; the fields also take free text. */
export const WEATHER_OPTIONS = ['晴', '阴', '多云', '小雨', '中雨', '大雨', '雾', '夜间'];
export const ACCIDENT_TYPES = ['追尾', '刮擦', '侧面碰撞', '正面碰撞', '倒车碰撞', '开门碰撞', '碰撞固定物'];

/** A case's history in words: transitions (lifecycle.ts TRANSITIONS) and edits (EDITS). */
export const EVENT_LABELS: Record<string, string> = {
  submit: '报案',
  refuse: '不符合快处条件',
  answer: '接警员接听',
  start_collecting: '开始取证',
  release: '放行撤离',
  redirect: '转其他方式处理',
  cancel: '报案人取消',
  time_out: '超时',
  resume: '继续处理',
  dispatcher_dropped: '接警员掉线，重新排队',
  determine: '责任认定',
  deliver: '送达认定书',
  request_review: '申请复核',
  review: '复核结论',
  decline_review: '复核不予受理',
  send_back: '发回重新认定',
  review_joined: '另一方申请复核',
  review_accepted: '受理复核',
  close: '结案',
  join: '当事人加入',
  recording_consent: '同意录像',
  party_info_by_party: '当事人填写 / 确认信息',
  party_info: '登记当事人信息',
  facts: '记录事故事实',
  shot_requested: '请求拍摄',
  scenario_tags: '标注情形',
  certificate_issued: '出具认定书',
  checks: '信息核查',
  evidence_fixed: '固定证据',
  recording_started: '开始录像',
  recording_stopped: '录像结束',
  recording_failed: '录像失败',
};

export const ACTOR_LABELS: Record<string, string> = {
  driver: '当事人',
  dispatcher: '接警员',
  officer: '民警',
  reviewer: '复核民警',
  ops: '运维',
  system: '系统',
};

/** 复核 as the reviewer's desk names its states. */
export const REVIEW_STATUS_LABELS: Record<ReviewStatus, string> = {
  received: '待受理',
  accepted: '已受理，待结论',
  not_accepted: '不予受理',
  upheld: '维持原认定',
  redone: '重新认定',
};
