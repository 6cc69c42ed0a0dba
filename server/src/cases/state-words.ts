import type { CaseState } from '../../../typings/api/cases';

/**
 * A case's state as people read it, in the words the console (labels.ts STATE_LABELS) and the
 * mini-program use: a message that reaches a dispatcher or a driver never shows a state's code.
 */
export const STATE_WORDS: Record<CaseState, string> = {
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
