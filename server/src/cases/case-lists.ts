import type { CaseSnapshot } from './case-change';
import { Case } from './case.model';

/** Released cases waiting for an officer's decision, oldest release first (one brigade, or all for ops). */
export async function awaitingDecision(brigadeCode: string | null, limit = 200): Promise<CaseSnapshot[]> {
  return (await Case.find({ state: 'released', ...(brigadeCode ? { brigadeCode } : {}) })
    .sort({ releasedAt: 1 })
    .limit(limit)
    .lean()) as CaseSnapshot[];
}

/** Decided cases whose certificate was not delivered by `before` (a process stopped between the two). */
export async function determinedBefore(before: Date, limit = 100): Promise<CaseSnapshot[]> {
  return (await Case.find({ state: 'determined', stateChangedAt: { $lt: before } }).limit(limit).lean()) as CaseSnapshot[];
}

/** Delivered cases whose 复核 window has passed (the sweeper closes them). */
export async function deliveredPastDeadline(now: Date, limit = 200): Promise<CaseSnapshot[]> {
  return (await Case.find({ state: 'delivered', reviewDeadline: { $lte: now } }).limit(limit).lean()) as CaseSnapshot[];
}

/** A driver's own cases, newest first (网办进度). */
export async function casesOfDriver(driverId: string, limit = 20): Promise<CaseSnapshot[]> {
  return (await Case.find({ 'parties.driverId': driverId }).sort({ reportedAt: -1 }).limit(limit).lean()) as CaseSnapshot[];
}

/** Cases with a 复核 application not yet concluded, oldest receipt first (the reviewers' desk). */
export async function casesAwaitingReview(limit = 200): Promise<CaseSnapshot[]> {
  return (await Case.find({ state: 'review_requested' }).sort({ 'review.receivedAt': 1 }).limit(limit).lean()) as CaseSnapshot[];
}

/**
 * Cases changed since `since` (every case when null), only `fields`, as a cursor: projections kept by
 * other modules (the statistics rows) are rebuilt from them.
 */
export function casesChangedSince(since: Date | null, fields: Record<string, 1>): AsyncIterable<CaseSnapshot> {
  return Case.find(since ? { updatedAt: { $gte: since } } : {}, fields).lean().cursor() as unknown as AsyncIterable<CaseSnapshot>;
}
