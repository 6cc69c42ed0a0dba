import type { PreviewCasePoint, RecentCasePoints } from '../../../typings/api/roads';
import type { CaseState } from '../../../typings/api/cases';
import { findBrigade } from '../brigades';
import { Case } from './case.model';

/** A week of a busy city is a few hundred points; past this the map shows the newest and says so. */
export const MAX_CASE_POINTS = 2_000;

/**
 * Where cases were reported over the last `days` days, newest first, for the ops map: the refused
 * ones (redirected) beside the taken ones show where the rules bite. A draft was never reported.
 */
export async function recentCasePoints(now: Date, days: number): Promise<RecentCasePoints> {
  const since = new Date(now.getTime() - days * 24 * 3600_000);
  const docs = await Case.find(
    { reportedAt: { $gte: since, $lte: now }, state: { $ne: 'draft' } },
    { state: 1, reportedAt: 1, brigadeCode: 1, districtName: 1, location: 1 },
  )
    .sort({ reportedAt: -1 })
    .limit(MAX_CASE_POINTS + 1)
    .lean();
  const shown = docs.slice(0, MAX_CASE_POINTS).filter((c) => typeof c.location?.lat === 'number' && typeof c.location?.lng === 'number');
  const codes = [...new Set(shown.map((c) => c.brigadeCode).filter((c): c is string => Boolean(c)))];
  const names = new Map((await Promise.all(codes.map((code) => findBrigade(code)))).flatMap((b) => (b ? [[b.code, b.name] as const] : [])));
  const items: PreviewCasePoint[] = shown.map((c) => ({
    caseId: String(c._id),
    lat: c.location!.lat!,
    lng: c.location!.lng!,
    state: c.state as CaseState,
    reportedAt: c.reportedAt.toISOString(),
    brigadeCode: c.brigadeCode ?? null,
    brigadeName: (c.brigadeCode && names.get(c.brigadeCode)) || null,
    districtName: c.districtName || null,
  }));
  return { days, since: since.toISOString(), items, truncated: docs.length > MAX_CASE_POINTS };
}
