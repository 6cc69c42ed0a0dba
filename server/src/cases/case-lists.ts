import type { CaseSnapshot } from './case-change';
import { Case } from './case.model';

/** Released cases waiting for an officer's decision, oldest release first (one brigade, or all for ops). */
export async function awaitingDecision(brigadeCode: string | null, limit = 200): Promise<CaseSnapshot[]> {
  return (await Case.find({ state: 'released', ...(brigadeCode ? { brigadeCode } : {}) })
    .sort({ releasedAt: 1 })
    .limit(limit)
    .lean()) as CaseSnapshot[];
}
