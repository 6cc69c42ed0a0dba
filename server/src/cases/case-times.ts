import { Case } from './case.model';

/** When a call reached the desk, and when a dispatcher answered and released it. */
export interface CaseTimes {
  reportedAt: Date;
  answeredAt: Date | null;
  releasedAt: Date | null;
}

/**
 * The desk's calls of one brigade reported in [from, to): the cases that entered the queue (a report
 * the rules refused, or a draft, never rang a dispatcher). One query over the range, only the three
 * times read back, so a year of history stays a small transfer (staffing reads weeks of it at once).
 */
export async function queuedCaseTimes(brigadeCode: string, from: Date, to: Date): Promise<CaseTimes[]> {
  const rows = await Case.find(
    { brigadeCode, reportedAt: { $gte: from, $lt: to }, queuedAt: { $ne: null } },
    { _id: 0, reportedAt: 1, answeredAt: 1, releasedAt: 1 },
  ).lean<{ reportedAt: Date; answeredAt?: Date | null; releasedAt?: Date | null }[]>();
  return rows.map((r) => ({ reportedAt: r.reportedAt, answeredAt: r.answeredAt ?? null, releasedAt: r.releasedAt ?? null }));
}
