import type { RosterView } from '../../../typings/api/staffing';
import { isDuplicateKey } from '../platform/database';
import { conflict } from '../platform/errors';
import { RosterRevision } from './roster.model';
import { HOURS_PER_WEEK } from './week-hours';

const STALE = '排班表已被他人修改，请重新加载后再改';

/** The newest roster of a brigade, or none saved yet: every hour 0 (rev 0), and `saved` says so. */
export async function currentRoster(brigadeCode: string): Promise<RosterView> {
  const latest = await RosterRevision.findOne({ brigadeCode }).sort({ rev: -1 }).lean();
  if (!latest) return { brigadeCode, rev: 0, saved: false, dispatchers: new Array<number>(HOURS_PER_WEEK).fill(0), changedBy: null, changedAt: null };
  return { brigadeCode, rev: latest.rev, saved: true, dispatchers: [...latest.dispatchers], changedBy: latest.changedBy, changedAt: latest.changedAt.toISOString() };
}

/** Saves revision `basedOnRev + 1`; 409 when another save got there first (the unique rev settles a race). */
export async function saveRoster(brigadeCode: string, dispatchers: number[], basedOnRev: number, by: string): Promise<{ saved: RosterView; before: RosterView }> {
  const before = await currentRoster(brigadeCode);
  if (before.rev !== basedOnRev) throw conflict(STALE);
  const changedAt = new Date();
  try {
    await RosterRevision.create({ brigadeCode, rev: basedOnRev + 1, dispatchers, changedBy: by, changedAt });
  } catch (err) {
    if (isDuplicateKey(err)) throw conflict(STALE);
    throw err;
  }
  return { saved: { brigadeCode, rev: basedOnRev + 1, saved: true, dispatchers, changedBy: by, changedAt: changedAt.toISOString() }, before };
}
