/**
 * Whether 视频快处 is taking reports right now (GET /service-hours), as the home page's banner shows
 * it: suspended (fog, low light, an incident) or outside the service hours, with the server's reason,
 * when it is expected back (Beijing time) and the other ways to handle the accident. Only advisory:
 * the report's own eligibility check is what refuses, so a failed request shows nothing.
 */
import type { ServiceHoursResponse } from '../../typings';
import { type AlternativeView, alternativeViews, beijingTime } from './alternatives';
import { apiWith } from './request';

export interface ServiceNotice {
  /** The verdict's code: SUSPENDED, OUTSIDE_HOURS, NOT_YET_OPEN … */
  code: string;
  title: string;
  /** The server's own words, e.g. 「因大雾，视频快处暂停服务，请拨打 122…」. */
  reason: string;
  /** e.g. 「预计 12:30 恢复」; '' when the reason already says it. */
  untilText: string;
  /** Why 开始报案 is disabled, next to the button. */
  blockedHint: string;
  alternatives: AlternativeView[];
}

const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

/** The Beijing calendar date of an instant, e.g. 2026-06-01. */
function beijingDate(ms: number): string {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** 「12:30」 today (Beijing), 「6月2日 12:30」 another day. */
export function beijingWhen(iso: string, now: Date): string {
  const full = beijingTime(iso);
  if (!full) return '';
  return beijingDate(Date.parse(iso)) === beijingDate(now.getTime()) ? full.slice(full.indexOf(' ') + 1) : full;
}

/** What the banner shows, or null while the service is open. */
export function noticeOf(status: ServiceHoursResponse, now: Date): ServiceNotice | null {
  const { verdict } = status;
  if (verdict.ok) return null;
  // Nobody may be left without a way forward: 122 always works.
  const alternatives = alternativeViews([...verdict.alternatives, 'call_122']);
  if (verdict.code === 'SUSPENDED') {
    const until = verdict.nextOpenAt ? beijingWhen(verdict.nextOpenAt, now) : '';
    return {
      code: verdict.code,
      title: '暂停服务',
      reason: verdict.reason,
      untilText: until ? `预计 ${until} 恢复` : '恢复时间另行通知',
      blockedHint: '视频快处暂停服务中，暂时不能开始报案',
      alternatives,
    };
  }
  // Outside the hours: the server's reason names the hours and the next opening.
  return {
    code: verdict.code,
    title: verdict.code === 'NOT_YET_OPEN' ? '视频快处尚未开通' : '不在服务时间',
    reason: verdict.reason,
    untilText: '',
    blockedHint: `视频快处服务时间为 ${status.opensAt}–${status.closesAt}，现在不能开始报案`,
    alternatives,
  };
}

/**
 * Asks once (no retries: a banner is not worth the wait) for the brigade where the accident is,
 * when known; the city-wide answer otherwise. null when open — or when the question failed.
 */
export async function fetchServiceNotice(brigade: string | null): Promise<ServiceNotice | null> {
  try {
    const status = await apiWith('GET /api/v1/service-hours', { retry: false, ...(brigade ? { query: { brigade } } : {}) });
    return noticeOf(status, new Date());
  } catch {
    return null;
  }
}
