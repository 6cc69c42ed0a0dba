/**
 * What 网办进度 says about a matter: its steps, the decision, the 复核 window and the insurer
 * hand-off in plain Chinese. Plain functions, no page. Times are Beijing time (Asia/Shanghai has
 * had no daylight saving since 1991, so a fixed +8 h is exact and needs no time-zone data here).
 */
import type { MatterDecision, MatterStepKind, MatterSummary } from '../../typings/api/matters';
import type { InsurerHandoffView } from '../../typings/api/insurers';
import type { ReviewStatus } from '../../typings/api/reviews';
import { STATE_TEXT } from './caseText';

const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

interface Parts {
  year: number;
  month: number;
  day: number;
  hh: string;
  mm: string;
}

function beijing(iso: string): Parts | null {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms + BEIJING_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hh: String(d.getUTCHours()).padStart(2, '0'),
    mm: String(d.getUTCMinutes()).padStart(2, '0'),
  };
}

/** 「2026年12月1日」 */
export function dateText(iso: string): string {
  const p = beijing(iso);
  return p ? `${p.year}年${p.month}月${p.day}日` : '';
}

/** 「2026年12月1日 09:05」 */
export function dateTimeText(iso: string): string {
  const p = beijing(iso);
  return p ? `${p.year}年${p.month}月${p.day}日 ${p.hh}:${p.mm}` : '';
}

/**
 * A deadline as the law words it: the window ends at 24:00 of its last day, which is 00:00 of the
 * next — shown as 「2026年12月3日 24:00」, never as the next day's 00:00.
 */
export function deadlineText(iso: string): string {
  const ms = Date.parse(iso);
  const p = beijing(iso);
  if (!p) return '';
  if (p.hh === '00' && p.mm === '00') {
    const day = beijing(new Date(ms - 1).toISOString());
    return day ? `${day.year}年${day.month}月${day.day}日 24:00` : '';
  }
  return `${p.year}年${p.month}月${p.day}日 ${p.hh}:${p.mm}`;
}

export const STEP_WORDS: Record<MatterStepKind, string> = {
  reported: '视频报警',
  answered: '交警接听',
  released: '信息采集完成，撤离现场',
  decided: '交警作出责任认定',
  delivered: '事故认定书送达',
  review_requested: '已申请复核',
  reviewed: '复核完成',
  closed: '办结',
  redirected: '转为其他方式处理',
  cancelled: '报案已取消',
  abandoned: '报案已中断',
};

export const REVIEW_STATUS_WORDS: Record<ReviewStatus, string> = {
  received: '复核申请已收到，等待上级交警部门受理',
  accepted: '上级交警部门已受理复核',
  not_accepted: '上级交警部门不予受理复核',
  upheld: '复核结论：维持原认定',
  redone: '复核结论：重新认定，将重新出具认定书',
};

/** 「B 车」 */
export function vehicleLabel(label: string): string {
  return /^[A-Z]$/.test(label) ? `${label} 车` : label;
}

function grade(party: MatterDecision['parties'][number]): string {
  return party.liability === 'none' ? '无责任' : `负${party.words}`;
}

/** 「您（B 车 粤J22222）负次要责任；A 车负主要责任」 */
export function decisionSentence(decision: MatterDecision): string {
  return decision.parties
    .map((p) => (p.mine ? `您（${vehicleLabel(p.label)} ${p.plate}）${grade(p)}` : `${vehicleLabel(p.label)}${p.plate ? `（${p.plate}）` : ''}${grade(p)}`))
    .join('；');
}

export interface TimelineStep {
  title: string;
  time: string;
}

export interface MatterView {
  caseId: string;
  caseNo: string;
  date: string;
  address: string;
  plates: string;
  stateWords: string;
  steps: TimelineStep[];
}

export function matterView(m: MatterSummary): MatterView {
  const plates = [m.me.plate ? `我方 ${m.me.plate}` : '', ...m.otherPlates.filter(Boolean)].filter(Boolean).join('、');
  return {
    caseId: m.caseId,
    caseNo: m.caseNo,
    date: dateTimeText(m.reportedAt),
    address: m.address || '地点未定位',
    plates,
    stateWords: STATE_TEXT[m.state]?.title ?? m.state,
    steps: m.steps.map((s) => ({ title: STEP_WORDS[s.kind] ?? s.kind, time: dateTimeText(s.at) })),
  };
}

export interface DecisionView {
  sentence: string;
  parties: { key: string; who: string; words: string; basis: string }[];
  certificateNumber: string;
  issuedAt: string;
  deadline: string;
  open: boolean;
  canApply: boolean;
  /** Someone (this driver or another party) applied: the window's application joins one review. */
  requested: boolean;
  appliedByMe: boolean;
  reviewStatus: string;
}

export function decisionView(d: MatterDecision): DecisionView {
  return {
    sentence: decisionSentence(d),
    parties: d.parties.map((p) => ({ key: p.label, who: p.mine ? `您（${vehicleLabel(p.label)}）` : vehicleLabel(p.label), words: p.words, basis: p.basis })),
    certificateNumber: d.certificateNumber,
    issuedAt: dateTimeText(d.issuedAt),
    deadline: d.review.deadline ? deadlineText(d.review.deadline) : '',
    open: d.review.open,
    canApply: canApply(d.review),
    requested: d.review.requested,
    appliedByMe: d.review.appliedByMe,
    reviewStatus: d.review.status ? REVIEW_STATUS_WORDS[d.review.status] : '',
  };
}

/**
 * Whether this driver may still apply for 复核: the window is open, or another party applied inside
 * it and the review has not moved on (their applications join one review, §71). The server's
 * `open` covers only the first case; the server judges either way and refuses with its own words.
 */
export function canApply(review: MatterDecision['review'], now = Date.now()): boolean {
  if (review.open) return true;
  if (review.appliedByMe || !review.requested || review.status !== 'received' || !review.deadline) return false;
  return now < Date.parse(review.deadline);
}

/** The hand-off as the driver reads it. */
export function handoffText(h: InsurerHandoffView): string {
  if (h.status === 'accepted') return `${h.insurerName}已受理`;
  if (h.status === 'sending') return `正在发送给${h.insurerName}，稍后下拉刷新查看结果`;
  return h.error || `没有发送成功，请重试`;
}

/** The consent's words: exactly what goes to the insurer. */
export const HANDOFF_CONSENT = '我同意将以下材料发送给所选保险公司，用于理赔：道路交通事故认定书；本起事故的证据清单（现场照片、视频截图等）；我的交强险保单信息（姓名、车牌号、保单号）。';
