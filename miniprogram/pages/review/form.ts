/** The 复核 form's rules and words: plain functions, no page. */
import type { MatterSummary } from '../../../typings/api/matters';
import { ApiRequestError } from '../../utils/errors';
import { canApply, deadlineText } from '../../utils/matterText';
import type { QueuedUpload } from '../../utils/uploadQueue';
import { isActive } from '../../utils/uploadQueue';

/** As the server checks them (it has the last word). */
export const LIMITS = { requestMin: 2, requestMax: 200, reasonsMin: 5, reasonsMax: 2000, photosMax: 6 } as const;

export const REVIEW_TEXT = {
  requestPlaceholder: '例如：请求撤销本认定书，重新认定事故责任',
  reasonsPlaceholder: '请写明对认定有异议的事实和理由',
  requestRequired: '请填写复核请求',
  reasonsShort: `理由至少写 ${LIMITS.reasonsMin} 个字`,
  photosPending: '照片还在上传，请等上传完成后再提交',
  photosFailed: '有照片没有上传成功，请点「重试」或移除后再提交',
  notFound: '没有找到这起事故，请返回网办进度下拉刷新后再试',
  notDelivered: '事故认定书送达后才能申请复核',
  underway: '本起事故的复核已在办理中，不能再申请。复核结果会通知您。',
} as const;

/** Why the window is closed, with its deadline (the server's own words replace this once it answered). */
export function closedText(deadline: string | null): string {
  return deadline ? `复核申请期限已过，不能再申请复核。复核申请截止：${deadlineText(deadline)}` : '复核申请期限已过，不能再申请复核。';
}

export type Phase = 'loading' | 'error' | 'closed' | 'applied' | 'form' | 'done';

/** Where the form starts for this matter (or `error` with the words). */
export function startPhase(matter: MatterSummary | undefined): { phase: Phase; message: string } {
  if (!matter) return { phase: 'error', message: REVIEW_TEXT.notFound };
  const d = matter.decision;
  if (!d) return { phase: 'closed', message: REVIEW_TEXT.notDelivered };
  if (d.review.appliedByMe) return { phase: 'applied', message: '' };
  if (!canApply(d.review)) {
    const inWindow = d.review.deadline !== null && Date.now() < Date.parse(d.review.deadline);
    return { phase: 'closed', message: d.review.requested && inWindow ? REVIEW_TEXT.underway : closedText(d.review.deadline) };
  }
  return { phase: 'form', message: '' };
}

export interface FieldErrors {
  requestError: string;
  reasonsError: string;
  photosError: string;
}

/** The application's fields checked before it is sent; all empty when it may go. */
export function checkForm(request: string, reasons: string, photos: readonly QueuedUpload[]): FieldErrors {
  const r = request.trim();
  const why = reasons.trim();
  return {
    requestError: r.length < LIMITS.requestMin ? REVIEW_TEXT.requestRequired : r.length > LIMITS.requestMax ? `复核请求最多 ${LIMITS.requestMax} 字` : '',
    reasonsError: why.length < LIMITS.reasonsMin ? REVIEW_TEXT.reasonsShort : why.length > LIMITS.reasonsMax ? `理由最多 ${LIMITS.reasonsMax} 字` : '',
    photosError: photosProblem(photos),
  };
}

/** Why the photos hold the application back, or ''. */
export function photosProblem(photos: readonly QueuedUpload[]): string {
  return photos.some(isActive) ? REVIEW_TEXT.photosPending : photos.some((p) => p.status === 'failed') ? REVIEW_TEXT.photosFailed : '';
}

/** The server refused for good (the window closed, already applied): not worth sending again as is. */
export function refusal(err: unknown): 'closed' | 'applied' | null {
  if (!(err instanceof ApiRequestError)) return null;
  const code = String(err.code);
  if (code === 'REVIEW_WINDOW_CLOSED') return 'closed';
  if (code === 'REVIEW_ALREADY_APPLIED') return 'applied';
  return null;
}

/** No answer, or a "try later": the application may have arrived, so a retry keeps its key. */
export function mayHaveArrived(err: unknown): boolean {
  return err instanceof ApiRequestError && (err.code === 'NETWORK_FAILED' || err.status >= 500);
}
